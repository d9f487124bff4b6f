package io.pinhole.sip.hep;

import gov.nist.core.ServerLogger;
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
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The RI's per-message hook turned into SIP capture: the stack calls it for every message it
 * receives and sends (requests, responses, its own retransmissions and stateless answers), with
 * both ends' addresses, and this encodes each one as HEP v3 for {@link HepExporter}. Installed by
 * {@link #stackProperties(HepTarget)} only when a collector is configured; the RI creates it by
 * reflection and hands it the stack's properties, which carry the collector.
 *
 * <p>Threads: called on the stack's threads; encoding allocates the packet (that is the capture's
 * cost, paid only with capture on); sending is the exporter's thread's.
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

    /** The stack properties that turn capture on: this class, installed by the RI, reads them back. */
    public static Properties stackProperties(HepTarget target) {
        Properties p = new Properties();
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", HepServerLogger.class.getName());
        p.setProperty(COLLECTOR, target.address());
        p.setProperty(CAPTURE_ID, Integer.toString(target.captureId()));
        if (target.password() != null) {
            p.setProperty(PASSWORD, target.password());
        }
        return p;
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
        Slf4jStackLogger.traceMessages(true);
    }

    @Override
    public void setSipStack(SipStack sipStack) {
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        capture(message, from, to);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        capture(message, from, to);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        capture(message, from, to);
    }

    private void capture(SIPMessage message, String from, String to) {
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
                    message.getCallId() == null ? null : message.getCallId().getCallId(), message.encodeAsBytes(transport));
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
        if (out != null) {
            Slf4jStackLogger.traceMessages(false);
            out.close();
        }
    }
}
