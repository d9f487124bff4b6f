package io.pinhole.sip.hep;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import io.pinhole.sip.Slf4jStackLogger;
import io.pinhole.wire.hep.HepExporter;
import io.pinhole.wire.hep.HepPacket;
import io.pinhole.wire.hep.HepTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.SipStack;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The RI's per-message hook turned into SIP capture: the stack calls it for every message it
 * receives and sends (requests, responses, its own retransmissions and stateless answers), with
 * both ends' addresses, once each (a received response, which the RI reports twice, is taken once). Each one goes to a {@link MessageTap}, when one is installed (the proxy's
 * in-memory capture of recent calls), and is encoded as HEP v3 for {@link HepExporter}, when a
 * collector is configured. Installed by {@link #stackProperties(HepTarget, boolean)} only when
 * one of them is wanted; the RI creates it by reflection and hands it the stack's properties,
 * which carry the collector; the tap, an object the RI's properties cannot carry, is attached to
 * the new stack by {@link #attach(SipStackImpl, MessageTap)} before it listens.
 *
 * <p>What is captured of a message is the bytes it was received in or sent as, when the stack's
 * UDP channels left them for this thread ({@link WireBytes}), not the message formatted again
 * ({@link SecretRedaction#wire}); over TCP and TLS the message is formatted.
 *
 * <p>Threads: called on the stack's threads; HEP encoding allocates the packet (that is the
 * export's cost, paid only with a collector); sending is the exporter's thread's; the tap
 * decides itself what it keeps.
 */
public final class HepServerLogger implements ServerLogger {

    private static final Logger LOG = LoggerFactory.getLogger(HepServerLogger.class);
    /** Stack property: the address to record for our side when the stack is bound to 0.0.0.0 / ::. */
    public static final String LOCAL_ADDRESS = "io.pinhole.hep.local-address";
    /** Stack property naming the collector, "udp:host:port" or "tcp:host:port". */
    static final String COLLECTOR = "io.pinhole.hep.collector";
    static final String CAPTURE_ID = "io.pinhole.hep.capture-id";
    static final String PASSWORD = "io.pinhole.hep.password";
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:.%]+]?");

    private volatile HepTarget target;
    private volatile HepExporter exporter;
    private volatile InetAddress localAddress;
    private volatile MessageTap tap;
    private volatile boolean tracing;

    /** The stack properties that turn HEP export on: this class, installed by the RI, reads them back. */
    public static Properties stackProperties(HepTarget target) {
        return stackProperties(target, false);
    }

    /**
     * The stack properties for HEP export to {@code target} (null: none) and/or a {@link MessageTap}
     * attached later ({@code tap}); empty when neither is wanted (the stack keeps its quiet
     * logger and traces nothing).
     */
    public static Properties stackProperties(HepTarget target, boolean tap) {
        Properties p = new Properties();
        if (target == null && !tap) {
            return p;
        }
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", HepServerLogger.class.getName());
        if (target != null) {
            p.setProperty(COLLECTOR, target.address());
            p.setProperty(CAPTURE_ID, Integer.toString(target.captureId()));
            if (target.password() != null) {
                p.setProperty(PASSWORD, target.password());
            }
        }
        return p;
    }

    /**
     * Hands every message of {@code stack} to {@code tap} from now on. Called between the stack's
     * construction and its first listening point, so no message escapes the tap.
     *
     * @throws IllegalStateException when the stack was built without {@link #stackProperties(HepTarget, boolean)}
     *                               asking for a tap (a wiring mistake, found at start-up)
     */
    public static void attach(SipStackImpl stack, MessageTap tap) {
        if (!(stack.getServerLogger() instanceof HepServerLogger logger)) {
            throw new IllegalStateException("stack " + stack.getStackName()
                    + " has no HepServerLogger: build its properties with HepServerLogger.stackProperties(target, true)");
        }
        logger.tap = Objects.requireNonNull(tap, "tap");
        logger.trace();
    }

    private synchronized void trace() {
        if (!tracing) {
            tracing = true;
            Slf4jStackLogger.traceMessages(true);
        }
    }

    static HepTarget target(Properties p) {
        String collector = p.getProperty(COLLECTOR);
        if (collector == null || collector.isBlank()) {
            return null;
        }
        return HepTarget.parse(collector, Integer.parseInt(p.getProperty(CAPTURE_ID, "0")), p.getProperty(PASSWORD));
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        HepTarget configured = target(stackProperties);
        if (configured == null) {
            return;
        }
        String local = stackProperties.getProperty(LOCAL_ADDRESS);
        localAddress = local == null ? null : literal(local);
        target = configured;
        exporter = new HepExporter(configured, "SIP capture", "every SIP message in and out");
        trace();
    }

    @Override
    public void setSipStack(SipStack sipStack) {
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        try {
            tap(message, from, to, sender, time);
            capture(message, from, to, sender);
        } finally {
            WireBytes.forget(message);
        }
    }

    /**
     * Skipped: the RI calls this (with its transaction's status) for a response it received and
     * already reported through {@link #logMessage(SIPMessage, String, String, boolean, long)}, as
     * it hands the response to its transaction; taken, every received response was captured twice.
     */
    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
    }

    /** Skipped as the variant with a time: the RI 1.3 does not call it. */
    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
    }

    /** The RI calls with sender = true for what it sends (from = us), false for what it received (from = peer). */
    private void tap(SIPMessage message, String from, String to, boolean sender, long time) {
        MessageTap current = tap;
        if (current == null || message == null) {
            return;
        }
        try {
            current.message(message, sender, sender ? to : from, time);
        } catch (RuntimeException e) {
            LOG.debug("SIP message tap skipped a message: {}", e.toString());
        }
    }

    private void capture(SIPMessage message, String from, String to, boolean sender) {
        HepExporter out = exporter;
        if (out == null || message == null) {
            return;
        }
        try {
            Endpoint source = endpoint(from);
            Endpoint destination = endpoint(to);
            if (source == null || destination == null) {
                return;
            }
            Via via = message.getTopmostVia();
            String transport = via == null || via.getTransport() == null ? "UDP" : via.getTransport();
            Instant now = Instant.now();
            HepPacket.Captured captured = new HepPacket.Captured(source.address, source.port, destination.address,
                    destination.port, !transport.equalsIgnoreCase("UDP"), now.getEpochSecond() * 1_000_000L + now.getNano() / 1000,
                    message.getCallId() == null ? null : message.getCallId().getCallId(),
                    SecretRedaction.wire(message, sender));
            out.send(HepPacket.encode(captured, target.captureId(), target.password()));
        } catch (RuntimeException e) {
            // a capture problem must never reach the SIP path; one message less in the capture
            LOG.debug("SIP capture skipped a message: {}", e.toString());
        }
    }

    private record Endpoint(InetAddress address, int port) {
    }

    /** "1.2.3.4:5060", "[::1]:5060"; our own bind-all address replaced by the configured local one. */
    private Endpoint endpoint(String hostPort) {
        if (hostPort == null) {
            return null;
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        InetAddress address = literal(hostPort.substring(0, colon));
        if (address == null) {
            return null;
        }
        if (address.isAnyLocalAddress() && localAddress != null) {
            address = localAddress;
        }
        try {
            return new Endpoint(address, Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An IP literal without a name lookup (the RI hands addresses, never names: a name is skipped). */
    private static InetAddress literal(String host) {
        if (!IP_LITERAL.matcher(host).matches()) {
            return null;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public void logException(Exception ex) {
    }

    @Override
    public void closeLogFile() {
        HepExporter out = exporter;
        exporter = null;
        tap = null;
        synchronized (this) {
            if (tracing) {
                tracing = false;
                Slf4jStackLogger.traceMessages(false);
            }
        }
        if (out != null) {
            out.close();
        }
    }
}
