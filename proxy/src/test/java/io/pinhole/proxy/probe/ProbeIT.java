package io.pinhole.proxy.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinhole.proxy.auth.DigestAlgorithm;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RawRegister;
import io.pinhole.sip.AnswerTap;
import io.pinhole.testsupport.RawSip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registration probe on loopback with raw phones that answer OPTIONS as their (pretend)
 * firewall lets them: everything, only what comes from the port they registered to (an
 * address-and-port-dependent filter), or nothing (a phone that ignores OPTIONS). The real NATs
 * are in the namespace test; this one covers the cases a Linux NAT cannot build (a NAT that lets
 * another port in) and the bookkeeping: admin API and the registrations row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProbeIT {

    private static final String DOMAIN = "probe.example";
    private static final String PASSWORD = "correct-horse";
    private final ObjectMapper json = new ObjectMapper();
    private ProxyInstance proxy;

    @BeforeAll
    void start() {
        // nat-only off: the phone without NAT is probed too (a stateful firewall is found the same way)
        proxy = ProxyInstance.start(Map.of("pinhole.probe.delay", "200ms", "pinhole.probe.timeout", "1s",
                "pinhole.probe.nat-only", false,
                "pinhole.keepalive.enabled", false, "pinhole.media.policy", "never"));
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    /** A phone on a UDP socket that registers and then answers OPTIONS its firewall lets through. */
    private final class Phone implements AutoCloseable {
        final DatagramSocket socket;
        final AtomicInteger answered = new AtomicInteger();
        final Thread answering;
        volatile Predicate<String> firewall = m -> true;

        Phone() throws IOException {
            socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            socket.setSoTimeout(200);
            answering = new Thread(this::answer, "probe-phone");
        }

        int port() {
            return socket.getLocalPort();
        }

        String register(String user, String contactHostPort) throws IOException {
            proxy.addUser(DOMAIN, user, PASSWORD);
            RawRegister reg = new RawRegister(user, DOMAIN, port());
            String fields = "Contact: <sip:" + user + "@" + contactHostPort + ">\r\nExpires: 600\r\n";
            String challenge = exchange(reg.request(fields));
            String nonce = RawSip.headers(challenge, "WWW-Authenticate").stream().map(RawRegister::challengeParams)
                    .filter(p -> "MD5".equals(p.get("algorithm"))).findFirst().orElseThrow().get("nonce");
            String ok = exchange(reg.request(fields + reg.authorization(DigestAlgorithm.MD5, PASSWORD, nonce, "00000001")));
            assertThat(RawSip.status(ok)).as(ok).isEqualTo(200);
            answering.start();
            return ok;
        }

        private String exchange(String request) throws IOException {
            byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), proxy.sipPort()));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            byte[] buffer = new byte[65535];
            while (System.nanoTime() < deadline) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                if (text.startsWith("SIP/2.0 ") && RawSip.status(text) >= 200) {
                    return text;
                }
            }
            throw new AssertionError("no answer to\n" + request);
        }

        /** Answers each OPTIONS the firewall lets in, back to the packet's source (a symmetric phone). */
        private void answer() {
            byte[] buffer = new byte[65535];
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                    String options = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                    if (!options.startsWith("OPTIONS ") || !firewall.test(options)) {
                        continue;
                    }
                    byte[] reply = ("SIP/2.0 200 OK\r\nVia: " + RawSip.header(options, "Via") + "\r\nFrom: "
                            + RawSip.header(options, "From") + "\r\nTo: " + RawSip.header(options, "To") + ";tag=p\r\n"
                            + "Call-ID: " + RawSip.header(options, "Call-ID") + "\r\nCSeq: " + RawSip.header(options, "CSeq")
                            + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(reply, reply.length, packet.getAddress(), packet.getPort()));
                    answered.incrementAndGet();
                } catch (SocketTimeoutException e) {
                    // look at isClosed again
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private JsonNode capabilities(String user) {
        var response = proxy.admin("GET", "/api/registrations?domain=" + DOMAIN + "&user=" + user, null);
        try {
            JsonNode list = json.readTree(response.body());
            assertThat(list.size()).as(response.body()).isEqualTo(1);
            return list.get(0).get("capabilities");
        } catch (IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    private JsonNode probed(String user) {
        eventually(Duration.ofSeconds(5), () -> capabilities(user) != null && capabilities(user).hasNonNull("probedAt"),
                user + " probed");
        return capabilities(user);
    }

    private Map<String, Object> row(String user) {
        return proxy.bean(JdbcTemplate.class).queryForMap("""
                SELECT r.* FROM registrations r JOIN users u ON u.id = r.user_id WHERE u.username = ?""", user);
    }

    @Test
    void aPhoneThatAnyPortOfOursReachesBehindAPortKeepingNat() throws Exception {
        try (Phone phone = new Phone()) {
            phone.register("open", "192.168.50.2:" + phone.port()); // private Contact, its port kept

            JsonNode found = probed("open");

            assertThat(found.get("mapping").asText()).isEqualTo("ENDPOINT_INDEPENDENT");
            assertThat(found.get("filtering").asText()).isEqualTo("PORT_INDEPENDENT");
            assertThat(found.get("sendsUdp").asBoolean()).isTrue();
            assertThat(found.get("unsolicitedUdp").asBoolean()).isTrue();
            assertThat(phone.answered.get()).as("both probes answered").isGreaterThanOrEqualTo(2);
            assertThat(proxy.bean(AnswerTap.class).takenFromDatagrams())
                    .as("the answer on the flow was taken from the SIP socket, before the stack").isPositive();
            eventually(Duration.ofSeconds(8), () -> "PORT_INDEPENDENT".equals(row("open").get("nat_filtering")),
                    "stored in registrations");
            assertThat(row("open")).containsEntry("nat_mapping", "ENDPOINT_INDEPENDENT").containsEntry("sends_udp", true)
                    .containsEntry("unsolicited_udp", true);
        }
    }

    @Test
    void aPhoneBehindAPortDependentFilterAndAPortChangingNat() throws Exception {
        try (Phone phone = new Phone()) {
            // its firewall lets in only what comes from the proxy's SIP port, the one it sent to
            phone.firewall = options -> options.contains(":" + proxy.sipPort() + ";branch=");
            phone.register("strict", "192.168.50.3:5060");

            JsonNode found = probed("strict");

            assertThat(found.get("mapping").asText()).isEqualTo("UNKNOWN");
            assertThat(found.get("reason").asText()).contains("changed port 5060 to " + phone.port());
            assertThat(found.get("filtering").asText()).isEqualTo("ADDRESS_AND_PORT_DEPENDENT");
            assertThat(found.get("unsolicitedUdp").asBoolean()).isFalse();
        }
    }

    @Test
    void aPhoneThatIgnoresOptionsTellsNothingAboutItsFilter() throws Exception {
        try (Phone phone = new Phone()) {
            phone.firewall = options -> false;
            phone.register("silent", "192.168.50.4:" + phone.port());

            JsonNode found = probed("silent");

            assertThat(found.get("filtering").asText()).isEqualTo("UNKNOWN");
            assertThat(found.get("reason").asText()).contains("answered neither");
            assertThat(found.get("unsolicitedUdp").isNull()).isTrue();
        }
    }

    @Test
    void aPhoneWithoutNat() throws Exception {
        try (Phone phone = new Phone()) {
            phone.register("public", "127.0.0.1:" + phone.port());

            JsonNode found = probed("public");

            assertThat(found.get("mapping").asText()).isEqualTo("NONE");
            assertThat(found.get("filtering").asText()).isEqualTo("NONE");
        }
    }
}
