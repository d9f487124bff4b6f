package io.pinhole.proxy.keepalive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinhole.proxy.auth.DigestAlgorithm;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RawRegister;
import io.pinhole.proxy.support.TcpSipPhone;
import io.pinhole.sip.AnswerTap;
import io.pinhole.testsupport.RawSip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static io.pinhole.testsupport.Eventually.eventually;
import static io.pinhole.testsupport.RawSip.header;
import static io.pinhole.testsupport.RawSip.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * NAT pings and RFC 5626 outbound on loopback, with raw phones: a phone whose Contact names a
 * private address (so the proxy sees NAT) gets OPTIONS pings on the socket it registered from;
 * one that answers them stays reachable, one that ignores them is marked unreachable after
 * {@code max-missed} pings. An outbound phone is told Require: outbound and Flow-Timer and is not
 * pinged; its double-CRLF ping on TCP is answered with a single CRLF.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeepaliveIT {

    private static final String DOMAIN = "ka.example";
    private static final String PASSWORD = "correct-horse";
    private final ObjectMapper json = new ObjectMapper();
    private ProxyInstance proxy;

    @BeforeAll
    void start() {
        proxy = ProxyInstance.start(java.util.Map.of("pinhole.keepalive.interval", "1s",
                "pinhole.keepalive.max-missed", 2, "pinhole.media.policy", "never"));
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    /**
     * Registers over UDP with a Contact behind a (pretend) NAT: its host is not the packet's source.
     * {@code contactParams} go after the Contact's URI, {@code headers} are whole header lines.
     */
    private String register(RawSip sip, String user, String contactParams, String headers) {
        proxy.addUser(DOMAIN, user, PASSWORD);
        RawRegister reg = new RawRegister(user, DOMAIN, sip.localPort());
        String fields = "Contact: <sip:" + user + "@192.168.77.10:5060>" + contactParams + "\r\n" + headers
                + "Expires: 600\r\n";
        String challenge = response(sip, reg.request(fields));
        String nonce = RawSip.headers(challenge, "WWW-Authenticate").stream().map(RawRegister::challengeParams)
                .filter(p -> "MD5".equals(p.get("algorithm"))).findFirst().orElseThrow().get("nonce");
        String ok = response(sip, reg.request(fields + reg.authorization(DigestAlgorithm.MD5, PASSWORD, nonce, "00000001")));
        assertThat(status(ok)).as(ok).isEqualTo(200);
        return ok;
    }

    /**
     * Sends a request and returns its final response, skipping requests that reach the socket
     * meanwhile: a new socket may get the port of an earlier test's phone, and that phone's pings.
     */
    private static String response(RawSip sip, String request) {
        sip.send(request);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> message = sip.receive();
            if (message.isPresent() && message.get().startsWith("SIP/2.0 ") && status(message.get()) >= 200) {
                return message.get();
            }
        }
        throw new AssertionError("no final response within 5 s to\n" + request);
    }

    private JsonNode binding(String user) {
        var response = proxy.admin("GET", "/api/registrations?domain=" + DOMAIN + "&user=" + user, null);
        try {
            JsonNode list = json.readTree(response.body());
            assertThat(list.size()).as(response.body()).isEqualTo(1);
            return list.get(0);
        } catch (IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    /** The next OPTIONS that reaches this phone's socket within a few intervals. */
    private static String nextOptions(RawSip sip) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> message = sip.receive();
            if (message.isPresent() && message.get().startsWith("OPTIONS ")) {
                return message.get();
            }
        }
        throw new AssertionError("no OPTIONS ping within 5 s");
    }

    private static String answer(String options) {
        return "SIP/2.0 200 OK\r\n" + "Via: " + header(options, "Via") + "\r\n" + "From: " + header(options, "From")
                + "\r\n" + "To: " + header(options, "To") + ";tag=phone\r\n" + "Call-ID: " + header(options, "Call-ID")
                + "\r\n" + "CSeq: " + header(options, "CSeq") + "\r\n" + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void aPhoneBehindNatIsPingedOnItsFlowAndStaysReachableWhileItAnswers() {
        try (RawSip phone = new RawSip(proxy.sipPort())) {
            register(phone, "answering", "", "");
            for (int i = 0; i < 4; i++) {
                String options = nextOptions(phone);
                assertThat(options).startsWith("OPTIONS sip:answering@192.168.77.10:5060 SIP/2.0")
                        .contains("To: <sip:answering@" + DOMAIN + ">");
                phone.send(answer(options));
            }
            JsonNode binding = binding("answering");
            assertThat(binding.get("keepalive").asText()).isEqualTo("OPTIONS");
            assertThat(binding.get("keepaliveReason").asText()).contains("behind NAT");
            assertThat(binding.get("reachable").asBoolean()).isTrue();
            // the answers never reached the stack, whose transaction search costs O(calls in flight)
            AnswerTap tap = proxy.bean(AnswerTap.class);
            eventually(Duration.ofSeconds(3), () -> tap.takenFromDatagrams() >= 4, "answers taken from the socket");
            assertThat(tap.takenFromMessages()).as("answers that reached the listener").isZero();
            assertThat(proxy.bean(PingBook.class).answers()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aPhoneThatIgnoresItsPingsIsMarkedUnreachableButKept() {
        try (RawSip phone = new RawSip(proxy.sipPort())) {
            register(phone, "ignoring", "", "");
            nextOptions(phone); // heard, never answered
            eventually(Duration.ofSeconds(8), () -> !binding("ignoring").get("reachable").asBoolean(true),
                    "marked unreachable after 2 unanswered pings");
            assertThat(binding("ignoring").get("contact").asText()).as("the binding is kept")
                    .contains("192.168.77.10");

            // it comes back: answers every ping (the first ones read may be old ones queued meanwhile)
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < until) {
                phone.receive().filter(m -> m.startsWith("OPTIONS ")).ifPresent(m -> phone.send(answer(m)));
            }
            assertThat(binding("ignoring").get("reachable").asBoolean(false)).as("reachable again once it answers")
                    .isTrue();
        }
    }

    @Test
    void aPhoneOnTheProxysOwnNetworkIsNotPinged() {
        try (RawSip phone = new RawSip(proxy.sipPort())) {
            proxy.addUser(DOMAIN, "lan", PASSWORD);
            RawRegister reg = new RawRegister("lan", DOMAIN, phone.localPort());
            String challenge = response(phone, reg.request(reg.contact() + "Expires: 600\r\n"));
            String nonce = RawSip.headers(challenge, "WWW-Authenticate").stream().map(RawRegister::challengeParams)
                    .filter(p -> "MD5".equals(p.get("algorithm"))).findFirst().orElseThrow().get("nonce");
            assertThat(status(response(phone, reg.request(reg.contact() + "Expires: 600\r\n"
                    + reg.authorization(DigestAlgorithm.MD5, PASSWORD, nonce, "00000001"))))).isEqualTo(200);

            eventually(Duration.ofSeconds(3), () -> binding("lan").hasNonNull("keepalive"), "planned");
            assertThat(binding("lan").get("keepalive").asText()).isEqualTo("NONE");
            long end = System.nanoTime() + Duration.ofMillis(2500).toNanos();
            while (System.nanoTime() < end) {
                assertThat(phone.receive().filter(m -> m.startsWith("OPTIONS")))
                        .as("no ping to a phone whose Contact is its source").isEmpty();
            }
        }
    }

    @Test
    void anOutboundPhoneIsToldItsFlowTimerAndIsNotPinged() {
        try (RawSip phone = new RawSip(proxy.sipPort())) {
            String ok = register(phone, "outbound",
                    ";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000a95a0e128>\";reg-id=1",
                    "Supported: outbound\r\n");

            assertThat(header(ok, "Require")).isEqualTo("outbound");
            assertThat(header(ok, "Flow-Timer")).isEqualTo("25");
            eventually(Duration.ofSeconds(3), () -> binding("outbound").hasNonNull("keepalive"), "planned");
            assertThat(binding("outbound").get("keepalive").asText()).isEqualTo("NONE");
            assertThat(binding("outbound").get("keepaliveReason").asText()).contains("RFC 5626 outbound");
            assertThat(binding("outbound").get("regId").asInt()).isEqualTo(1);
        }
    }

    @Test
    void regIdWithoutOutboundInSupportedIsIgnoredAndThePhoneIsPinged() {
        try (RawSip phone = new RawSip(proxy.sipPort())) {
            String ok = register(phone, "noobsupport",
                    ";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000a95a0e129>\";reg-id=1", "");

            assertThat(header(ok, "Require")).isNull();
            assertThat(header(ok, "Flow-Timer")).isNull();
            assertThat(binding("noobsupport").get("regId").isNull()).isTrue();
            phone.send(answer(nextOptions(phone)));
        }
    }

    /** A phone pings after it has spoken SIP on the connection (the RI caches the connection then). */
    @Test
    void aDoubleCrlfPingOnTcpGetsASingleCrlfPong() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.sipPort())) {
            socket.setSoTimeout(3000);
            int port = socket.getLocalPort();
            String options = "OPTIONS sip:127.0.0.1:" + proxy.sipPort() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/TCP 127.0.0.1:" + port + ";branch=z9hG4bKcrlf1\r\n"
                    + "From: <sip:probe@" + DOMAIN + ">;tag=crlf\r\nTo: <sip:127.0.0.1>\r\n"
                    + "Call-ID: crlf-" + port + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            socket.getOutputStream().write(options.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String answer = readHeaders(in);
            assertThat(answer).startsWith("SIP/2.0 200");

            socket.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            assertThat(new String(in.readNBytes(2), StandardCharsets.US_ASCII)).isEqualTo("\r\n");
        }
    }

    /** Reads a message without body up to its blank line. */
    private static String readHeaders(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
        }
        return text.toString();
    }

    @Test
    void anOutboundPhoneOnTcpIsToldTheTcpFlowTimer() throws Exception {
        proxy.addUser(DOMAIN, "tcpob", PASSWORD);
        try (TcpSipPhone phone = new TcpSipPhone(proxy.sipPort())) {
            String contact = "Contact: <sip:tcpob@192.168.77.11:5060;transport=tcp>"
                    + ";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000a95a0e130>\";reg-id=1\r\n"
                    + "Supported: outbound\r\nExpires: 600\r\n";
            RawRegister reg = new RawRegister("tcpob", DOMAIN, phone.localPort());
            phone.send(reg.request(contact).replace("SIP/2.0/UDP", "SIP/2.0/TCP"));
            String challenge = phone.readUntil("SIP/2.0");
            String nonce = RawSip.headers(challenge, "WWW-Authenticate").stream().map(RawRegister::challengeParams)
                    .filter(p -> "MD5".equals(p.get("algorithm"))).findFirst().orElseThrow().get("nonce");
            phone.send(reg.request(contact + reg.authorization(DigestAlgorithm.MD5, PASSWORD, nonce, "00000001"))
                    .replace("SIP/2.0/UDP", "SIP/2.0/TCP"));
            String ok = phone.readUntil("SIP/2.0");

            assertThat(ok).startsWith("SIP/2.0 200");
            assertThat(header(ok, "Require")).isEqualTo("outbound");
            assertThat(header(ok, "Flow-Timer")).isEqualTo("120");
        }
    }

    /** RFC 5626 §8: an outbound phone on UDP keeps its flow open with STUN to our SIP port. */
    @Test
    void aStunBindingRequestOnTheSipPortTellsThePhoneItsAddressAndSipStillWorks() throws Exception {
        try (java.net.DatagramSocket phone = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            phone.setSoTimeout(3000);
            var id = io.pinhole.wire.stun.TransactionId.random();
            byte[] request = io.pinhole.wire.stun.StunCodec.encode(io.pinhole.wire.stun.StunMessage.of(
                    io.pinhole.wire.stun.StunMessage.BINDING, io.pinhole.wire.stun.StunClass.REQUEST, id,
                    java.util.List.of()), true);
            phone.send(new java.net.DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(),
                    proxy.sipPort()));
            java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[1500], 1500);
            phone.receive(packet);

            var answer = io.pinhole.wire.stun.StunCodec.decode(packet.getData(), 0, packet.getLength(), false);
            assertThat(answer.messageClass()).isEqualTo(io.pinhole.wire.stun.StunClass.SUCCESS_RESPONSE);
            assertThat(answer.transactionId()).isEqualTo(id);
            var mapped = io.pinhole.wire.stun.StunAddress.decodeXor(
                    answer.attribute(io.pinhole.wire.stun.StunAttributeType.XOR_MAPPED_ADDRESS).value(),
                    io.pinhole.wire.stun.StunCodec.MAGIC_COOKIE, id);
            assertThat(mapped.getPort()).isEqualTo(phone.getLocalPort());
            assertThat(packet.getPort()).as("answered from the SIP port").isEqualTo(proxy.sipPort());

            String options = "OPTIONS sip:127.0.0.1:" + proxy.sipPort() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + phone.getLocalPort() + ";branch=z9hG4bKstun1;rport\r\n"
                    + "From: <sip:probe@" + DOMAIN + ">;tag=s\r\nTo: <sip:127.0.0.1>\r\nCall-ID: stun-"
                    + phone.getLocalPort() + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            byte[] bytes = options.getBytes(StandardCharsets.US_ASCII);
            phone.send(new java.net.DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), proxy.sipPort()));
            phone.receive(packet);
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII))
                    .startsWith("SIP/2.0 200");
        }
    }
}
