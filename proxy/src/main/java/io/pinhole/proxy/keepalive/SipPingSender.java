package io.pinhole.proxy.keepalive;

import gov.nist.javax.sip.ListeningPointExt;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.FlowRouter;
import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.SipProvider;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Sends the pings through the proxy's own SIP stack: an OPTIONS statelessly from the UDP
 * listening socket (the one the REGISTER came in on, so the NAT sees the same 5-tuple), routed
 * to the binding's flow by {@link FlowRouter}; a CRLF on the binding's TCP/TLS connection via
 * the RI's heartbeat. The RI may open a connection for a heartbeat whose connection is gone,
 * which can block: CRLF pings run on a small executor of their own, and beyond its queue they
 * are dropped (counted as unanswered).
 */
final class SipPingSender implements PingSender, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SipPingSender.class);

    private final SipServer server;
    private final SipFactories factories;
    private final ThreadPoolExecutor connections = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(10_000), r -> {
        Thread thread = new Thread(r, "nat-pinger-tcp");
        thread.setDaemon(true);
        return thread;
    }, new ThreadPoolExecutor.DiscardPolicy());

    SipPingSender(SipServer server, SipFactories factories) {
        this.server = server;
        this.factories = factories;
    }

    @Override
    public void options(Binding binding, String callIdPrefix) {
        String host = server.advertisedHost();
        int port = server.port("UDP");
        try {
            ViaHeader via = factories.headers().createViaHeader(host, port, "UDP", "z9hG4bK" + callIdPrefix);
            via.setRPort();
            Request options = factories.messages().createRequest(
                    factories.addresses().createURI(binding.contactUri()), Request.OPTIONS,
                    factories.headers().createCallIdHeader(callIdPrefix + "@" + host),
                    factories.headers().createCSeqHeader(1L, Request.OPTIONS),
                    factories.headers().createFromHeader(factories.addresses().createAddress("sip:keepalive@" + host),
                            callIdPrefix),
                    factories.headers().createToHeader(factories.addresses().createAddress("sip:" + binding.aor()), null),
                    List.of(via), factories.headers().createMaxForwardsHeader(70));
            FlowRouter.route(options, binding.flow());
            server.provider("UDP").sendRequest(options);
        } catch (Exception e) {
            throw new IllegalStateException("OPTIONS ping to " + binding.aor() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void crlf(Binding binding, Runnable delivered) {
        String transport = binding.flow().transport().toUpperCase(Locale.ROOT);
        connections.execute(() -> {
            try {
                SipProvider provider = server.provider(transport);
                ((ListeningPointExt) provider.getListeningPoint(transport))
                        .sendHeartbeat(binding.flow().address(), binding.flow().port());
                delivered.run();
            } catch (Exception e) {
                LOG.debug("CRLF ping to {} at {}:{} failed: {}", binding.aor(), binding.flow().address(),
                        binding.flow().port(), e.toString());
            }
        });
    }

    @Override
    public void close() {
        connections.shutdownNow();
    }
}
