package io.pinhole.edge.probe;

import io.pinhole.wire.stun.StunClass;
import io.pinhole.wire.stun.StunCodec;
import io.pinhole.wire.stun.StunException;
import io.pinhole.wire.stun.StunMessage;
import io.pinhole.wire.stun.TransactionId;
import io.pinhole.wire.stream.HttpMedia;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out what gets out to the relay, with blocking sockets on the caller's thread (at start, and
 * on a background thread when a media path broke): a STUN binding request to the relay's STUN port
 * (three tries; an answer means UDP passes both ways; without one, the relay is asked over TCP whether
 * the request arrived: then UDP gets out but not in), a TLS handshake to its TLS port, and an HTTP
 * request to its HTTP port, directly and through the forward proxy when one is configured (any
 * HTTP answer from the relay means HTTP passes).
 */
public final class PathProbe {

    private static final Logger log = LoggerFactory.getLogger(PathProbe.class);
    private static final int TIMEOUT_MILLIS = 2000;

    private final String relayHost;
    private final RelayPorts ports;
    private final InetSocketAddress httpProxy;
    private final SSLContext tls;

    /** @param httpProxy the forward proxy, or null */
    public PathProbe(String relayHost, RelayPorts ports, InetSocketAddress httpProxy, SSLContext tls) {
        this.relayHost = relayHost;
        this.ports = ports;
        this.httpProxy = httpProxy;
        this.tls = tls;
    }

    public ProbeResult run() {
        TransactionId id = TransactionId.random();
        boolean udp = stun(id);
        boolean tlsOk = tlsHandshake();
        boolean http = http(null);
        boolean viaProxy = httpProxy != null && http(httpProxy);
        boolean udpSeen = udp || relaySaw(id, tlsOk, http, viaProxy);
        ProbeResult r = new ProbeResult(udp, udpSeen, tlsOk, http, viaProxy);
        log.info("Probe of relay {}: {}", relayHost, r);
        return r;
    }

    /** Three tries of one Binding request (a retransmission keeps its transaction id, RFC 5389 section 7.2.1). */
    boolean stun(TransactionId id) {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(700);
            InetSocketAddress to = new InetSocketAddress(relayHost, ports.stun());
            for (int i = 0; i < 3; i++) {
                byte[] request = StunCodec.encode(StunMessage.of(StunMessage.BINDING, StunClass.REQUEST, id, List.of()), true);
                socket.send(new DatagramPacket(request, request.length, to));
                byte[] buf = new byte[1500];
                DatagramPacket answer = new DatagramPacket(buf, buf.length);
                long until = System.currentTimeMillis() + 700;
                while (System.currentTimeMillis() < until) {
                    try {
                        socket.receive(answer);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    try {
                        StunMessage m = StunCodec.decode(buf, 0, answer.getLength(), false);
                        if (m.transactionId().equals(id)) {
                            return true;
                        }
                    } catch (StunException e) {
                        // not a STUN answer: keep waiting
                    }
                }
            }
        } catch (IOException e) {
            log.debug("UDP probe: {}", e.getMessage());
        }
        return false;
    }

    boolean tlsHandshake() {
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(relayHost, ports.tls()), TIMEOUT_MILLIS);
            raw.setSoTimeout(TIMEOUT_MILLIS);
            try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(raw, relayHost, ports.tls(), false)) {
                s.startHandshake();
                return true;
            } catch (SSLHandshakeException e) {
                // the handshake came back, so TLS passes; the trust is the media link's problem, said once here
                log.warn("TLS to relay {}:{} passes, but its certificate is not trusted: {} (give --trust)",
                        relayHost, ports.tls(), e.getMessage());
                String m = String.valueOf(e.getMessage());
                return m.contains("PKIX") || m.contains("certificat");
            }
        } catch (IOException e) {
            log.debug("TLS probe: {}", e.getMessage());
            return false;
        }
    }

    /**
     * Asks the relay over whatever TCP path passed whether its STUN port received our request
     * ({@code GET /pinhole/udp-seen}): seed 004's test of UDP that gets out but not back in.
     */
    boolean relaySaw(TransactionId id, boolean tlsOk, boolean http, boolean viaProxy) {
        String path = HttpMedia.UDP_SEEN_PATH + "?tx=" + HexFormat.of().formatHex(id.bytes());
        if (!tlsOk && !http && !viaProxy) {
            return false;
        }
        try (Socket raw = new Socket()) {
            InetSocketAddress to = tlsOk ? new InetSocketAddress(relayHost, ports.tls())
                    : http ? new InetSocketAddress(relayHost, ports.http()) : httpProxy;
            raw.connect(to, TIMEOUT_MILLIS);
            raw.setSoTimeout(TIMEOUT_MILLIS);
            String target = tlsOk || http ? path : "http://" + relayHost + ":" + ports.http() + path;
            String answer;
            try (Socket s = tlsOk ? tls.getSocketFactory().createSocket(raw, relayHost, ports.tls(), true) : raw) {
                OutputStream out = s.getOutputStream();
                out.write(("GET " + target + " HTTP/1.1\r\nHost: " + relayHost + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                answer = new String(s.getInputStream().readNBytes(4096), StandardCharsets.US_ASCII);
            }
            boolean seen = answer.startsWith("HTTP/1.1 200");
            int body = answer.indexOf("\r\n\r\n");
            log.info("Asked relay {} whether our UDP arrived: {}", relayHost,
                    body < 0 ? answer.lines().findFirst().orElse("no answer") : answer.substring(body + 4).strip());
            return seen;
        } catch (IOException e) {
            log.debug("UDP-seen question: {}", e.getMessage());
            return false;
        }
    }

    boolean http(InetSocketAddress proxy) {
        String target = proxy == null ? "/pinhole/media" : "http://" + relayHost + ":" + ports.http() + "/pinhole/media";
        try (Socket s = new Socket()) {
            s.connect(proxy != null ? proxy : new InetSocketAddress(relayHost, ports.http()), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + relayHost + ":" + ports.http()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String status = new String(head, StandardCharsets.US_ASCII);
            // the relay answers 403 to a request without a token; a proxy's own refusal is 502/503/504 (or its 403 page)
            return status.startsWith("HTTP/1.") && status.length() >= 12 && !status.substring(9, 12).matches("50[234]");
        } catch (IOException e) {
            log.debug("HTTP probe{}: {}", proxy != null ? " through " + proxy : "", e.getMessage());
            return false;
        }
    }
}
