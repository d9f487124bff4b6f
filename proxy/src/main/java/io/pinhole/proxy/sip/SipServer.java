package io.pinhole.proxy.sip;

import gov.nist.javax.sip.SipStackExt;
import io.pinhole.sip.AnswerTap;
import io.pinhole.sip.SipEndpoint;
import io.pinhole.sip.SipStackSettings;
import io.pinhole.sip.hep.HepServerLogger;
import io.pinhole.sip.hep.MessageTap;
import io.pinhole.wire.hep.HepTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The proxy's {@link SipEndpoint}: UDP and TCP listening points (and TLS with a keystore), one
 * provider per listening point so a request's provider tells its transport. What sends on its
 * own goes through the {@link SipSender} this fills when it starts. Starts after
 * every other bean (the binding cache is loaded first) and stops first.
 */
public final class SipServer implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SipServer.class);

    private final SipProperties properties;
    private final SipDispatcher dispatcher;
    private final ReceiveBacklog backlog;
    private final AnswerTap answers;
    private final SipSender sender;
    private final CaptureProperties capture;
    private final MessageTap tap;

    /**
     * @param answers takes the answers to the NAT pings and probes from the UDP socket, before the
     *                stack parses them (those that get past it reach the dispatcher)
     */
    public SipServer(SipProperties properties, SipSender sender, SipDispatcher dispatcher, ReceiveBacklog backlog,
                     AnswerTap answers, CaptureProperties capture) {
        this(properties, sender, dispatcher, backlog, answers, capture, null);
    }

    /** @param tap sees every message in and out (the recent-calls capture); null: none */
    public SipServer(SipProperties properties, SipSender sender, SipDispatcher dispatcher, ReceiveBacklog backlog,
                     AnswerTap answers, CaptureProperties capture, MessageTap tap) {
        this.capture = capture;
        this.tap = tap;
        this.answers = answers;
        this.properties = properties;
        this.dispatcher = dispatcher;
        this.backlog = backlog;
        this.sender = sender;
    }

    /** The address the listening points bind to (0.0.0.0 = all). */
    public String bindAddress() {
        return properties.bindAddress();
    }

    /** The address other hosts reach us on (our Via and Contact). */
    public String advertisedHost() {
        return sender.advertisedHost();
    }

    /** Our port for a transport. */
    public int port(String transport) {
        return sender.port(transport);
    }

    /** The running stack, for the RI's extensions (the client-side digest helper). */
    public SipStackExt stack() {
        return sender.stack();
    }

    /** The provider that sends over a transport (UDP, TCP, TLS). */
    public SipProvider provider(String transport) {
        return sender.provider(transport);
    }

    @Override
    public synchronized void start() {
        SipStackSettings settings = new SipStackSettings("pinhole-proxy-" + properties.port(), properties.threads(),
                4 * 1024 * 1024, properties.maxMessageBytes(), blankToNull(properties.tlsKeystore()),
                blankToNull(properties.tlsKeystorePassword()), properties.tlsKeystoreType(), properties.forceRport());
        Properties stackProperties = settings.toProperties();
        stackProperties.setProperty("javax.sip.ROUTER_PATH", FlowRouter.class.getName());
        HepTarget hep = capture.target().orElse(null);
        stackProperties.putAll(HepServerLogger.stackProperties(hep, tap != null));
        if (hep != null) {
            // bound to all addresses, the stack names our side 0.0.0.0: record the address phones use
            stackProperties.setProperty(HepServerLogger.LOCAL_ADDRESS, sender.advertisedHost());
        }
        List<SipEndpoint.Transport> transports = new ArrayList<>(List.of(
                new SipEndpoint.Transport(ListeningPoint.UDP, properties.port()),
                new SipEndpoint.Transport(ListeningPoint.TCP, properties.port())));
        if (settings.tlsEnabled()) {
            transports.add(new SipEndpoint.Transport(ListeningPoint.TLS, properties.tlsPort()));
        }
        SipEndpoint opened = SipEndpoint.open(stackProperties, properties.bindAddress(), transports, dispatcher,
                answers, tap);
        opened.listeningPoints().forEach(backlog::watch);
        sender.use(opened);
        LOG.info("SIP listening on {} port {} (UDP, TCP){}", properties.bindAddress(), properties.port(),
                settings.tlsEnabled() ? ", TLS on " + properties.tlsPort() : "");
    }

    @Override
    public synchronized void stop() {
        SipEndpoint current = sender.endpoint();
        sender.use(null);
        if (current != null) {
            current.close();
        }
    }

    @Override
    public boolean isRunning() {
        return sender.endpoint() != null;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
