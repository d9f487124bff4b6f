package io.pinhole.proxy.cluster;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.registrar.BindingRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.sql.DriverManager;
import java.util.Properties;

/** Several proxies on one database (README "Several proxies"). */
@Configuration(proxyBeanMethods = false)
public class ClusterConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConfiguration.class);

    @Bean
    ClusterRouting clusterRouting(ClusterProperties properties, MeterRegistry meters) {
        ClusterView view = properties.view();
        if (view.enabled()) {
            LOG.info("cluster: this proxy is {}, peers {}", view.self(), view.peers());
        }
        return new ClusterRouting(view, meters);
    }

    /**
     * Only in a cluster: a single proxy is the only writer of its bindings (the admin API's
     * removals go to its cache directly), so it has nothing to listen for.
     */
    @Bean
    BindingListener bindingListener(ClusterProperties properties, DataSourceProperties dataSource,
                                    BindingRepository repository, BindingCache cache, MeterRegistry meters) {
        // Its own connection, not one from the pool: it stays checked out to LISTEN.
        String url = dataSource.determineUrl();
        Properties info = new Properties();
        info.setProperty("user", dataSource.determineUsername());
        if (dataSource.determinePassword() != null) {
            info.setProperty("password", dataSource.determinePassword());
        }
        // the heartbeat's SELECT 1 fails within this on a connection whose server vanished (no RST)
        info.setProperty("socketTimeout", "10");
        info.setProperty("tcpKeepAlive", "true");
        // findable in pg_stat_activity, each proxy's own
        info.setProperty("ApplicationName", BindingListener.APPLICATION_NAME + " " + properties.view().ownerName());
        BindingListener listener = new BindingListener(() -> DriverManager.getConnection(url, info), repository, cache,
                properties.view().enabled());
        FunctionCounter.builder("pinhole.cluster.notify.reconnects", listener, BindingListener::reconnects)
                .description("times the binding listener's LISTEN connection was opened again after it was lost")
                .register(meters);
        FunctionCounter.builder("pinhole.cluster.notifications", listener, BindingListener::notifications)
                .description("binding change notifications taken in").register(meters);
        Gauge.builder("pinhole.cluster.notify.listening", listener, l -> l.listening() ? 1 : 0)
                .description("1 while the binding listener's LISTEN connection is open (0 without a cluster)")
                .register(meters);
        return listener;
    }
}
