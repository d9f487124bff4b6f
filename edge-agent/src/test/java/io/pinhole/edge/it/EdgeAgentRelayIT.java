package io.pinhole.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.edge.EdgeAgent;
import io.pinhole.edge.EdgeOptions;
import io.pinhole.edge.sip.SipMessage;
import io.pinhole.edge.sip.Via;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent against the real relay (run from its jar, driven over ng by the test as the proxy
 * would) and a test-played proxy end over real TLS: the agent logs in with digest and its
 * {@code Pinhole-Edge} header, proxies a phone's call (Via, double Record-Route, SDP anchored on
 * its own ports, {@code a=pinhole-media} stripped) and carries the audio both ways over TLS, TCP,
 * HTTP and HTTP through a real forward proxy (tinyproxy), counted at each end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeAgentRelayIT {

    private static final String DOMAIN = "edge.example";
    private static final int PACKETS = 150;

    private Path dir;
    private Pki pki;
    private TestRelay relay;
    private final int tlsPort = Ports.freeTcp();
    private final int tcpPort = Ports.freeTcp();
    private final int httpPort = Ports.freeTcp();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("edge-it");
        pki = new Pki(dir, "127.0.0.1");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("pinhole.relay.media-address", "127.0.0.1");
        settings.put("pinhole.relay.port-min", 47000);
        settings.put("pinhole.relay.port-max", 47099);
        settings.put("pinhole.relay.tls-port", tlsPort);
        settings.put("pinhole.relay.tcp-port", tcpPort);
        settings.put("pinhole.relay.http-media-port", httpPort);
        settings.put("pinhole.relay.tls-certificate", pki.certificate);
        settings.put("pinhole.relay.tls-private-key", pki.key);
        relay = new TestRelay(settings);
    }

    @AfterAll
    void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void callOverTlsCarriesAudioBothWays() throws Exception {
        call("tls", null, 47200);
    }

    @Test
    void callOverUdpCarriesAudioBothWays() throws Exception {
        call("udp", null, 47100);
    }

    @Test
    void callOverTcpCarriesAudioBothWays() throws Exception {
        call("tcp", null, 47300);
    }

    @Test
    void callOverHttpCarriesAudioBothWays() throws Exception {
        call("http", null, 47400);
    }

    /**
     * The relay stalls 1.5 s mid-call (SIGSTOP): the agent queues what the phone sends meanwhile and,
     * when the relay answers again, sends the backlog in bodies the relay accepts. Media goes on
     * after the stall; before, the backlog went in one body over the relay's limit, was refused 413
     * and re-sent on every new connection, and the phone's audio never reached the far end again.
     */
    @Test
    void httpMediaGoesOnAfterTheRelayStalls() throws Exception {
        Call c = call("http", null, 47700, true);
        assertThat(c.farHeard()).as(c.report()).isGreaterThanOrEqualTo((STALL_BEFORE + STALL_AFTER) * 9 / 10 + STALL_QUEUED / 2);
    }

    @Test
    void callOverHttpThroughTinyproxyCarriesAudioBothWays() throws Exception {
        int port = Ports.freeTcp();
        Path log = dir.resolve("tinyproxy.log");
        Path conf = dir.resolve("tinyproxy.conf");
        Files.writeString(conf, String.join("\n",
                "User nobody", "Group nogroup", "Port " + port, "Listen 127.0.0.1", "Timeout 60", "MaxClients 20",
                "Allow 127.0.0.1", "LogFile \"" + log + "\"", "LogLevel Info", "DisableViaHeader Yes", ""));
        log.toFile().createNewFile();
        log.toFile().setWritable(true, false);
        dir.toFile().setExecutable(true, false);
        Process tinyproxy = new ProcessBuilder("tinyproxy", "-d", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tinyproxy.out").toFile()).start();
        try {
            waitForTcp(port);
            call("http", "127.0.0.1:" + port, 47500);
            String seen = Files.readString(log);
            assertThat(seen).as("tinyproxy carried the media requests\n" + seen)
                    .contains("GET http://127.0.0.1:" + httpPort + "/pinhole/media")
                    .contains("POST http://127.0.0.1:" + httpPort + "/pinhole/media");
            assertThat(seen).as("and the SIP, in a CONNECT tunnel to the proxy\n" + seen).contains("CONNECT 127.0.0.1:");
        } finally {
            tinyproxy.destroy();
            tinyproxy.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void reconnectsAndRegistersAgainWhenTheProxyDropsItsConnection() throws Exception {
        Path credential = dir.resolve("edge-reconnect.properties");
        Files.writeString(credential, "user=edge\ndomain=" + DOMAIN + "\npassword=s3cret\n");
        try (TestUpstream up = new TestUpstream(pki.serverContext())) {
            EdgeAgent agent = new EdgeAgent(EdgeOptions.parse("--upstream", "127.0.0.1:" + up.port(), "--credential",
                    credential.toString(), "--sip-port", String.valueOf(Ports.freeUdp()), "--lan-address", "127.0.0.1",
                    "--transport", "tls", "--trust", pki.certificate.toString(), "--relay", "127.0.0.1", "--relay-ports",
                    "9," + tlsPort + "," + httpPort, "--media-ports", "47600-47649"));
            try {
                agent.start();
                String edge = login(up, agent, "tls");
                long dropped = System.nanoTime();
                up.dropConnection();
                SipMessage again = up.next("REGISTER", Duration.ofSeconds(10));
                long millis = (System.nanoTime() - dropped) / 1_000_000;
                System.out.println("re-REGISTER " + millis + " ms after the connection dropped");
                assertThat(millis).as("back-off starts at 0.5-1 s").isBetween(300L, 5000L);
                assertThat(again.header("Authorization")).as("a fresh login on the new connection").isNull();
                assertThat(again.header("Pinhole-Edge")).as("the same agent id: the proxy moves the phones' bindings")
                        .isEqualTo(edge);
            } finally {
                agent.close();
            }
        }
    }

    /**
     * A stopped agent removes its own binding, answering the proxy's challenge to its unregister;
     * before, the unregister went unanswered and every restart left one more binding of the agent's
     * user behind, until the proxy's contact limit refused its login (403 Too many contacts).
     */
    @Test
    void unregistersAtShutdownAnsweringTheChallenge() throws Exception {
        Path credential = dir.resolve("edge-unregister.properties");
        Files.writeString(credential, "user=edge\ndomain=" + DOMAIN + "\npassword=s3cret\n");
        try (TestUpstream up = new TestUpstream(pki.serverContext())) {
            EdgeAgent agent = new EdgeAgent(EdgeOptions.parse("--upstream", "127.0.0.1:" + up.port(), "--credential",
                    credential.toString(), "--sip-port", String.valueOf(Ports.freeUdp()), "--lan-address", "127.0.0.1",
                    "--transport", "tls", "--trust", pki.certificate.toString(), "--relay", "127.0.0.1", "--relay-ports",
                    "9," + tlsPort + "," + httpPort, "--media-ports", "47650-47699"));
            agent.start();
            login(up, agent, "tls");
            java.util.concurrent.CompletableFuture<Void> closed = java.util.concurrent.CompletableFuture.runAsync(agent::close);
            try {
                SipMessage first = up.next("REGISTER", Duration.ofSeconds(5));
                assertThat(first.header("Expires")).isEqualTo("0");
                up.send(response(first, "401 Unauthorized",
                        "WWW-Authenticate: Digest realm=\"" + DOMAIN + "\", nonce=\"n0nce2\", qop=\"auth\", algorithm=MD5\r\n"));
                SipMessage second = up.next("REGISTER", Duration.ofSeconds(2));
                assertThat(second).as("the unregister's challenge answered").isNotNull();
                assertThat(second.header("Authorization")).isNotNull();
                assertThat(second.header("Expires")).as("still an unregister").isEqualTo("0");
                up.send(response(second, "200 OK", ""));
            } finally {
                closed.get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** What one call's audio did, as each end counted it. */
    record Call(int phoneHeard, int farHeard, String report) {
    }

    private Call call(String transport, String httpProxy, int mediaPortBase) throws Exception {
        return call(transport, httpProxy, mediaPortBase, false);
    }

    /** Packets the phone sends before, during and after the relay's stall ({@code stallRelay}), 10 ms apart. */
    private static final int STALL_BEFORE = 100;
    private static final int STALL_QUEUED = 150;
    private static final int STALL_AFTER = 150;

    private Call call(String transport, String httpProxy, int mediaPortBase, boolean stallRelay) throws Exception {
        Path credential = dir.resolve("edge-" + transport + ".properties");
        Files.writeString(credential, "user=edge\ndomain=" + DOMAIN + "\npassword=s3cret\n");
        int sipPort = Ports.freeUdp();
        List<String> args = new ArrayList<>(List.of("--credential", credential.toString(), "--sip-port",
                String.valueOf(sipPort), "--lan-address", "127.0.0.1", "--transport", transport, "--trust",
                pki.certificate.toString(), "--relay", "127.0.0.1", "--relay-ports", "9," + tlsPort + "," + httpPort,
                "--media-ports", mediaPortBase + "-" + (mediaPortBase + 49)));
        if (httpProxy != null) {
            args.addAll(List.of("--http-proxy", httpProxy));
        }
        try (TestUpstream up = new TestUpstream(pki.serverContext());
             DatagramSocket phone = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             RtpEnd phoneRtp = new RtpEnd();
             RtpEnd far = new RtpEnd()) {
            args.addAll(0, List.of("--upstream", "127.0.0.1:" + up.port()));
            EdgeAgent agent = new EdgeAgent(EdgeOptions.parse(args.toArray(String[]::new)));
            try {
                agent.start();
                login(up, agent, transport);

                // the phone calls out through the agent
                phone.setSoTimeout(5000);
                String callId = "edge-it-" + transport + "-" + System.nanoTime();
                String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio "
                        + phoneRtp.port() + " RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n";
                String invite = "INVITE sip:far@" + DOMAIN + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + phone.getLocalPort() + ";branch=z9hG4bKph1;rport\r\n"
                        + "Max-Forwards: 70\r\nFrom: <sip:alice@" + DOMAIN + ">;tag=al1\r\nTo: <sip:far@" + DOMAIN + ">\r\n"
                        + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\nContact: <sip:alice@127.0.0.1:" + phone.getLocalPort()
                        + ">\r\nContent-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;
                sendUdp(phone, invite, sipPort);

                SipMessage in = up.next("INVITE", Duration.ofSeconds(5));
                Via agentVia = Via.parse(in.headers("Via").get(0));
                assertThat(agentVia.transport()).isEqualTo("TLS");
                assertThat(in.headers("Via")).hasSize(2);
                assertThat(in.headers("Record-Route")).hasSize(2);
                assertThat(in.headers("Record-Route").get(1)).startsWith("<sip:127.0.0.1:" + sipPort + ";lr;ph-edge=");
                String anchored = new String(in.body(), StandardCharsets.UTF_8);
                int agentUpPort = mPort(anchored);
                assertThat(agentUpPort).as("the phone's SDP is anchored on the agent's ports\n" + anchored)
                        .isBetween(mediaPortBase, mediaPortBase + 49);

                // the relay, as the proxy drives it: the caller (the edge side) gets a token
                Map<String, Object> offer = new LinkedHashMap<>(Map.of("command", "offer", "call-id", callId, "from-tag", "al1",
                        "sdp", anchored));
                boolean stream = !transport.equals("udp");
                if (stream) {
                    offer.put("media-transport", transport);
                }
                Map<String, Object> offered = relay.command(offer);
                assertThat(offered.get("result")).as(offered.toString()).isEqualTo("ok");
                String token = (String) offered.get("tcp-token");
                int relayForFar = mPort((String) offered.get("sdp"));
                String farSdp = "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + far.port()
                        + " RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n";
                Map<String, Object> answered = relay.command(Map.of("command", "answer", "call-id", callId, "from-tag", "al1",
                        "to-tag", "far1", "sdp", farSdp));
                assertThat(answered.get("result")).as(answered.toString()).isEqualTo("ok");
                int port = switch (transport) {
                    case "tls" -> tlsPort;
                    case "tcp" -> tcpPort;
                    default -> httpPort;
                };
                String answer = !stream ? (String) answered.get("sdp") : ((String) answered.get("sdp")).replaceFirst("\r\nm=",
                        "\r\na=pinhole-media:" + transport + " " + port + " " + token + "\r\nm=");

                String okText = "SIP/2.0 200 OK\r\n" + String.join("", in.headers("Via").stream().map(v -> "Via: " + v + "\r\n").toList())
                        + String.join("", in.headers("Record-Route").stream().map(v -> "Record-Route: " + v + "\r\n").toList())
                        + "From: " + in.header("From") + "\r\nTo: " + in.header("To") + ";tag=far1\r\nCall-ID: " + callId
                        + "\r\nCSeq: 1 INVITE\r\nContact: <sip:far@127.0.0.1:5999>\r\nContent-Type: application/sdp\r\n"
                        + "Content-Length: " + answer.length() + "\r\n\r\n" + answer;
                up.send(okText);

                SipMessage phoneOk = receiveFinal(phone);
                assertThat(phoneOk.status()).isEqualTo(200);
                assertThat(phoneOk.headers("Via")).hasSize(1);
                String phoneSdp = new String(phoneOk.body(), StandardCharsets.UTF_8);
                assertThat(phoneSdp).as(phoneSdp).doesNotContain("pinhole-media").contains("c=IN IP4 127.0.0.1");
                int agentPort = mPort(phoneSdp);
                assertThat(agentPort).isEqualTo(agentUpPort);

                // ACK along the route set (RFC 3261 12.1.2: the Record-Route list reversed)
                List<String> routes = new ArrayList<>(phoneOk.headers("Record-Route"));
                java.util.Collections.reverse(routes);
                String ack = "ACK sip:far@127.0.0.1:5999 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + phone.getLocalPort()
                        + ";branch=z9hG4bKph2;rport\r\n" + String.join("", routes.stream().map(r -> "Route: " + r + "\r\n").toList())
                        + "Max-Forwards: 70\r\nFrom: <sip:alice@" + DOMAIN + ">;tag=al1\r\nTo: " + phoneOk.header("To")
                        + "\r\nCall-ID: " + callId + "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
                sendUdp(phone, ack, sipPort);
                SipMessage upAck = up.next("ACK", Duration.ofSeconds(5));
                assertThat(upAck.headers("Route")).as("the agent popped its own two routes").isEmpty();

                // audio both ways, after the agent's link to the relay is up
                Thread.sleep(1500);
                if (stallRelay) {
                    InetSocketAddress agentMedia = new InetSocketAddress("127.0.0.1", agentPort);
                    phoneRtp.send(agentMedia, STALL_BEFORE, 10);
                    Thread stalled = new Thread(() -> {
                        try {
                            relay.freeze(Duration.ofMillis(STALL_QUEUED * 10));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    stalled.start();
                    phoneRtp.send(agentMedia, STALL_QUEUED, 10);
                    stalled.join();
                    phoneRtp.send(agentMedia, STALL_AFTER, 10);
                    Thread.sleep(1000);
                    String report = "http, relay stalled " + STALL_QUEUED * 10 + " ms: far end heard " + far.received.get()
                            + " of " + (STALL_BEFORE + STALL_QUEUED + STALL_AFTER) + " (" + STALL_BEFORE + " before, "
                            + STALL_QUEUED + " during, " + STALL_AFTER + " after the stall)\nrelay log tail:\n"
                            + tail(relay.output());
                    System.out.println(report);
                    relay.command(Map.of("command", "delete", "call-id", callId, "from-tag", "al1"));
                    return new Call(phoneRtp.received.get(), far.received.get(), report);
                }
                Thread farSender = new Thread(() -> {
                    try {
                        far.send(new InetSocketAddress("127.0.0.1", relayForFar), PACKETS, 10);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                farSender.start();
                phoneRtp.send(new InetSocketAddress("127.0.0.1", agentPort), PACKETS, 10);
                farSender.join();
                Thread.sleep(500);
                long[] counts = agent.anchor().counts(callId);
                String report = transport + (httpProxy != null ? " via " + httpProxy : "") + ": phone heard "
                        + phoneRtp.received.get() + ", far end heard " + far.received.get() + " of " + PACKETS
                        + String.format(java.util.Locale.ROOT, "; one-way phone->far p50 %.2f ms p99 %.2f ms, far->phone p50 %.2f ms p99 %.2f ms",
                        far.percentileMillis(50), far.percentileMillis(99), phoneRtp.percentileMillis(50),
                        phoneRtp.percentileMillis(99))
                        + "; agent counted to relay/to phone " + java.util.Arrays.toString(counts) + "\nrelay log tail:\n"
                        + tail(relay.output());
                System.out.println(report);
                assertThat(far.received.get()).as("far end hears the phone\n" + report).isGreaterThanOrEqualTo(PACKETS * 9 / 10);
                assertThat(phoneRtp.received.get()).as("phone hears the far end\n" + report).isGreaterThanOrEqualTo(PACKETS * 9 / 10);
                Map<String, Object> query = relay.command(Map.of("command", "query", "call-id", callId));
                if (stream) {
                    assertThat(query.toString()).as("the relay carried the edge side over " + transport).contains(transport);
                }

                // BYE from the phone, its 200 from upstream
                String bye = "BYE sip:far@127.0.0.1:5999 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + phone.getLocalPort()
                        + ";branch=z9hG4bKph3;rport\r\n" + String.join("", routes.stream().map(r -> "Route: " + r + "\r\n").toList())
                        + "Max-Forwards: 70\r\nFrom: <sip:alice@" + DOMAIN + ">;tag=al1\r\nTo: " + phoneOk.header("To")
                        + "\r\nCall-ID: " + callId + "\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
                sendUdp(phone, bye, sipPort);
                SipMessage upBye = up.next("BYE", Duration.ofSeconds(5));
                up.send("SIP/2.0 200 OK\r\n" + String.join("", upBye.headers("Via").stream().map(v -> "Via: " + v + "\r\n").toList())
                        + "From: " + upBye.header("From") + "\r\nTo: " + upBye.header("To") + "\r\nCall-ID: " + callId
                        + "\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n");
                assertThat(receiveFinal(phone).status()).isEqualTo(200);
                assertThat(agent.anchor().activeCalls()).as("the call's media closed with the BYE").isZero();
                relay.command(Map.of("command", "delete", "call-id", callId, "from-tag", "al1"));
                return new Call(phoneRtp.received.get(), far.received.get(), report);
            } finally {
                agent.close();
            }
        }
    }

    /** The agent's REGISTER, its digest answer to our 401, then 200: the agent says it is registered. Returns its Pinhole-Edge. */
    private String login(TestUpstream up, EdgeAgent agent, String transport) throws Exception {
        SipMessage first = up.next("REGISTER", Duration.ofSeconds(10));
        assertThat(first.header("Pinhole-Edge")).as(first.startLine())
                .matches("media=" + transport + ";udp-out=no;udp-in=no;id=[0-9a-f-]{36}");
        assertThat(first.header("Authorization")).isNull();
        up.send(response(first, "401 Unauthorized",
                "WWW-Authenticate: Digest realm=\"" + DOMAIN + "\", nonce=\"n0nce\", qop=\"auth\", algorithm=MD5\r\n"));
        SipMessage second = up.next("REGISTER", Duration.ofSeconds(5));
        String auth = second.header("Authorization");
        assertThat(auth).isNotNull();
        Matcher cnonce = Pattern.compile("cnonce=\"([^\"]+)\"").matcher(auth);
        assertThat(cnonce.find()).isTrue();
        String ha1 = md5("edge:" + DOMAIN + ":s3cret");
        String ha2 = md5("REGISTER:sip:" + DOMAIN);
        String expected = md5(ha1 + ":n0nce:00000001:" + cnonce.group(1) + ":auth:" + ha2);
        assertThat(auth).contains("response=\"" + expected + "\"");
        assertThat(second.header("Pinhole-Edge")).isEqualTo(first.header("Pinhole-Edge"));
        up.send(response(second, "200 OK", "Contact: " + second.header("Contact") + ";expires=600\r\n"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!agent.registered()) {
            assertThat(System.nanoTime()).as("the agent registered").isLessThan(deadline);
            Thread.sleep(50);
        }
        return first.header("Pinhole-Edge");
    }

    private static String response(SipMessage request, String status, String extra) {
        return "SIP/2.0 " + status + "\r\nVia: " + request.header("Via") + "\r\nFrom: " + request.header("From")
                + "\r\nTo: " + request.header("To") + ";tag=up1\r\nCall-ID: " + request.callId() + "\r\nCSeq: "
                + request.header("CSeq") + "\r\n" + extra + "Content-Length: 0\r\n\r\n";
    }

    private static SipMessage receiveFinal(DatagramSocket phone) throws IOException {
        byte[] buf = new byte[65535];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                phone.receive(p);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the phone got no final response");
            }
            byte[] copy = java.util.Arrays.copyOf(buf, p.getLength());
            SipMessage m = SipMessage.parse(copy);
            if (!m.isRequest() && m.status() >= 200) {
                return m;
            }
        }
    }

    private static void sendUdp(DatagramSocket s, String text, int port) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", port)));
    }

    private static int mPort(String sdp) {
        Matcher m = Pattern.compile("m=audio (\\d+)").matcher(sdp);
        if (!m.find()) {
            throw new AssertionError("no m=audio in\n" + sdp);
        }
        return Integer.parseInt(m.group(1));
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static void waitForTcp(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("tinyproxy did not listen on " + port);
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 15), lines.length));
    }
}
