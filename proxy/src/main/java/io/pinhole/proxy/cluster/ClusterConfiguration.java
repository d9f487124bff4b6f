package io.pinhole.proxy.cluster;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.db.notify.ListenConnector;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.registrar.BindingRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
        // 0 for a proxy on its own: the cluster's alerts apply only where this is above 0
        Gauge.builder("pinhole.cluster.peers", view, v -> v.enabled() ? v.peers().size() : 0)
                .description("other proxies of the cluster this proxy knows (pinhole.cluster.peers)").register(meters);
        return new ClusterRouting(view, meters);
    }

    /**
     * Only in a cluster: a single proxy is the only writer of its bindings (the admin API's
     * removals go to its cache directly), so it has nothing to listen for.
     */
    @Bean
    BindingListener bindingListener(ClusterProperties properties, DataSourceProperties dataSource,
                                    BindingRepository repository, BindingCache cache, MeterRegistry meters) {
        // Its own connection, not one from the pool, findable in pg_stat_activity as this proxy's.
        ListenConnector connector = ListenConnector.to(dataSource.determineUrl(), dataSource.determineUsername(),
                dataSource.determinePassword(), BindingListener.APPLICATION_NAME + " " + properties.view().ownerName());
        BindingListener listener = new BindingListener(connector, repository, cache, properties.view().enabled());
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
