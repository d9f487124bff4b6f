package io.pinhole.proxy.edge;

import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipServer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;

/** The edge agents' side of the proxy (README "Edge agents: the proxy side"). */
@Configuration(proxyBeanMethods = false)
public class EdgeConfiguration {

    @Bean(destroyMethod = "close")
    JdbcEdgeFlowStore edgeFlowStore(JdbcTemplate jdbc) {
        return new JdbcEdgeFlowStore(jdbc);
    }

    /** The edge agents logged in now and their connections, those of earlier agents loaded from the database. */
    @Bean
    EdgeFlows edgeFlows(Clock clock, JdbcEdgeFlowStore store) {
        return new EdgeFlows(clock, store);
    }

    @Bean(destroyMethod = "close")
    JdbcEdgeTokenStore edgeTokenStore(JdbcTemplate jdbc) {
        return new JdbcEdgeTokenStore(jdbc);
    }

    /** The edge agents' live login tokens, in memory (README "Edge agents: the proxy side", Login). */
    @Bean(destroyMethod = "close")
    EdgeTokens edgeTokens(JdbcEdgeTokenStore store, EdgeProperties properties, EdgeFlows edges,
                          io.pinhole.proxy.database.DatabaseStatus database) {
        return new EdgeTokens(store, properties.tokenRefresh(), database, edges::revoked);
    }

    /** A {@link io.pinhole.sip.StatelessAnswers}: the SIP server hands it the answers to the heartbeats. */
    @Bean
    HeartbeatAnswers heartbeatAnswers(EdgeFlows edges) {
        return new HeartbeatAnswers(edges);
    }

    @Bean(destroyMethod = "close")
    EdgeHeartbeats edgeHeartbeats(EdgeFlows edges, SipServer server, SipFactories factories, EdgeProperties properties) {
        return new EdgeHeartbeats(edges, server, factories, properties);
    }
}
