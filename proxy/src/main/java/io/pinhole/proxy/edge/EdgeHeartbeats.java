package io.pinhole.proxy.edge;

import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.Flow;
import io.pinhole.proxy.sip.FlowRouter;
import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The proxy's heartbeats to its edge agents: every {@code heartbeat-interval} an OPTIONS to each
 * logged-in agent's own binding over its connection (the agent answers it itself), sent statelessly
 * with the Call-ID {@code edge-hb-<agent id>-<n>}, whose answers the SIP socket hands back
 * ({@link HeartbeatAnswers}) as proof of life; then {@link EdgeFlows#judge} finds the agents that
 * stayed silent too long. The agent's own CRLF keepalives are answered inside the SIP stack and
 * never reach the proxy, and a host that lost power or its network leaves its connection open for
 * TCP's timeouts (many minutes): hence heartbeats of the proxy's own. A timer thread of its own
 * judges and schedules; the sends run on a few threads of their own.
 */
public final class EdgeHeartbeats implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeHeartbeats.class);
    static final String PREFIX = HeartbeatAnswers.PREFIX;
    private static final int SEND_THREADS = 4;

    private final EdgeFlows edges;
    private final SipServer server;
    private final SipFactories factories;
    private final EdgeProperties properties;
    private final AtomicLong sequence = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "edge-heartbeat");
        t.setDaemon(true);
        return t;
    });
    /**
     * The sends: the stack may try to open a connection to an agent whose connection is gone, and
     * wait for its timeout; on threads of their own that wait holds up neither the verdicts nor the
     * other agents' heartbeats. Beyond the queue a heartbeat is dropped (counts as unanswered).
     */
    private final ThreadPoolExecutor sends = new ThreadPoolExecutor(SEND_THREADS, SEND_THREADS, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1_000), r -> {
        Thread t = new Thread(r, "edge-heartbeat-send");
        t.setDaemon(true);
        return t;
    }, new ThreadPoolExecutor.DiscardPolicy());

    EdgeHeartbeats(EdgeFlows edges, SipServer server, SipFactories factories, EdgeProperties properties) {
        this.edges = edges;
        this.server = server;
        this.factories = factories;
        this.properties = properties;
        long every = properties.heartbeatInterval().toMillis();
        timer.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            edges.judge(properties.heartbeatInterval(), properties.misses());
            for (EdgeFlows.Agent agent : edges.agents()) {
                String callId = PREFIX + agent.info().id() + "-" + sequence.incrementAndGet();
                sends.execute(() -> send(agent.binding(), agent.flow(), callId));
            }
        } catch (RuntimeException e) {
            LOG.warn("edge heartbeats: {}", e.toString());
        }
    }

    /** An OPTIONS over the agent's connection, its Via on that connection's transport. */
    private void send(Binding binding, Flow flow, String callId) {
        String transport = flow.transport().toUpperCase(Locale.ROOT);
        String host = server.advertisedHost();
        try {
            ViaHeader via = factories.headers().createViaHeader(host, server.port(transport), transport,
                    "z9hG4bK" + callId);
            Request options = factories.messages().createRequest(
                    factories.addresses().createURI(binding.contactUri()), Request.OPTIONS,
                    factories.headers().createCallIdHeader(callId + "@" + host),
                    factories.headers().createCSeqHeader(1L, Request.OPTIONS),
                    factories.headers().createFromHeader(factories.addresses().createAddress("sip:heartbeat@" + host),
                            callId),
                    factories.headers().createToHeader(factories.addresses().createAddress("sip:" + binding.aor()), null),
                    List.of(via), factories.headers().createMaxForwardsHeader(70));
            FlowRouter.route(options, flow);
            server.provider(transport).sendRequest(options);
        } catch (Exception e) {
            LOG.debug("heartbeat to edge agent at {}:{}/{} not sent: {}", flow.address(), flow.port(), transport,
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        sends.shutdownNow();
    }
}
