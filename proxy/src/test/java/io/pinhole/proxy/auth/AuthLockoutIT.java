package io.pinhole.proxy.auth;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RawRegister;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.RawSip;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.pinhole.testsupport.RawSip.headers;
import static io.pinhole.testsupport.RawSip.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: wrong answers lock out the account they were given for, from that address, not
 * every phone behind the same NAT; an address guessing many accounts is still locked out.
 * Every phone here shares one source address (127.0.0.1, each on its own port) like an office
 * behind one NAT; the guesser uses 127.0.0.2 so that its lockout cannot hide the office's.
 * The settings are the defaults: 3 wrong answers per account and address, 100 per address.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthLockoutIT {

    private static final String DOMAIN = "office.example";
    private static final String PASSWORD = "correct-horse";
    private static final String LOCKED = "Too many failed authentication attempts";

    private ProxyInstance proxy;

    @BeforeAll
    void start() {
        proxy = ProxyInstance.start(Map.of());
        proxy.addUser(DOMAIN, "offline", PASSWORD); // a callee without a phone: a call that passed auth gets 480
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aPhoneWithAStalePasswordLocksOutOnlyItsOwnAccountNotTheOfficeBehindTheSameAddress() {
        proxy.addUser(DOMAIN, "alice", PASSWORD);
        proxy.addUser(DOMAIN, "bob", PASSWORD);
        double accountLockouts = metric("pinhole_auth_lockouts_total{kind=\"account\"}");
        double accountRefusals = metric("pinhole_auth_lockout_refusals_total{kind=\"account\"}");
        double sourceLockouts = metric("pinhole_auth_lockouts_total{kind=\"source\"}");

        // alice's phone (127.0.0.1, its own port) keeps a stale password: 401, 401, 401, then 403.
        Sipp.Result stale = sipp("register-wrong-password.xml", "alice", "stale-password").run();
        assertThat(stale.passed()).as(stale.describe()).isTrue();
        // Locked: even the right password gets 403, for REGISTER and INVITE alike.
        Sipp.Result lockedRegister = sipp("register-forbidden.xml", "alice", PASSWORD).run();
        assertThat(lockedRegister.passed()).as(lockedRegister.describe()).isTrue();
        assertThat(lockedRegister.messages()).contains(LOCKED);
        Sipp.Result lockedCall = sipp("call-uac-locked-out.xml", "alice", PASSWORD).key("callee", "offline")
                .key("sdp_ip", "192.0.2.10").run();
        assertThat(lockedCall.passed()).as(lockedCall.describe()).isTrue();

        // bob's phone, same address, another port: challenged and accepted, for REGISTER and INVITE.
        Sipp.Result bob = sipp("register.xml", "bob", PASSWORD).run();
        assertThat(bob.passed()).as(bob.describe()).isTrue();
        assertThat(proxy.admin("GET", "/api/registrations?domain=" + DOMAIN + "&user=bob", null).body())
                .contains("\"aor\":\"bob@" + DOMAIN + "\"", "\"sourceAddress\":\"127.0.0.1\"");
        Sipp.Result bobCalls = sipp("call-uac-480.xml", "bob", PASSWORD).key("callee", "offline")
                .key("sdp_ip", "192.0.2.10").run();
        assertThat(bobCalls.passed()).as("bob is challenged, accepted, and reaches the (phoneless) callee: "
                + bobCalls.describe()).isTrue();

        // A few more stale phones in the office, and the rest of the office still registers.
        for (int i = 0; i < 4; i++) {
            proxy.addUser(DOMAIN, "stale" + i, PASSWORD);
            try (RawSip sip = new RawSip(proxy.sipPort())) {
                RawRegister phone = new RawRegister("stale" + i, DOMAIN, sip.localPort());
                assertThat(wrongAnswers(sip::request, phone, 3)).containsExactly(401, 401, 403);
            }
        }
        for (int i = 0; i < 30; i++) {
            proxy.addUser(DOMAIN, "desk" + i, PASSWORD);
            try (RawSip sip = new RawSip(proxy.sipPort())) {
                assertThat(register(sip::request, new RawRegister("desk" + i, DOMAIN, sip.localPort()), PASSWORD))
                        .as("desk%d registers from the office's address", i).isEqualTo(200);
            }
        }

        assertThat(metric("pinhole_auth_lockouts_total{kind=\"account\"}") - accountLockouts)
                .as("alice and four more stale phones").isEqualTo(5);
        assertThat(metric("pinhole_auth_lockout_refusals_total{kind=\"account\"}") - accountRefusals)
                .as("alice's REGISTER and INVITE while locked").isEqualTo(2);
        assertThat(metric("pinhole_auth_lockouts_total{kind=\"source\"}") - sourceLockouts).isZero();
    }

    @Test
    void anAddressGuessingManyAccountsIsLockedOutForEveryAccount() throws IOException {
        for (int i = 0; i < 50; i++) {
            proxy.addUser(DOMAIN, "target" + i, PASSWORD);
        }
        proxy.addUser(DOMAIN, "untouched", PASSWORD);
        double sourceLockouts = metric("pinhole_auth_lockouts_total{kind=\"source\"}");
        double sourceRefusals = metric("pinhole_auth_lockout_refusals_total{kind=\"source\"}");
        double accountLockouts = metric("pinhole_auth_lockouts_total{kind=\"account\"}");

        try (Guesser guesser = new Guesser(InetAddress.getByName("127.0.0.2"), proxy.sipPort())) {
            // Two wrong answers per account stay under the per-account limit (3): 99 of them are challenged again...
            List<Integer> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                answers.addAll(wrongAnswers(guesser::request, new RawRegister("target" + i, DOMAIN, guesser.localPort()), 2));
            }
            assertThat(answers.subList(0, 99)).as("the first 99 wrong answers from the address").containsOnly(401);
            // ...and the 100th (the default max-failures-per-source) locks the address out.
            assertThat(answers.get(99)).isEqualTo(403);

            // From that address every account is refused now, even with the right password.
            assertThat(register(guesser::request, new RawRegister("untouched", DOMAIN, guesser.localPort()), PASSWORD))
                    .isEqualTo(403);
            assertThat(register(guesser::request, new RawRegister("target7", DOMAIN, guesser.localPort()), PASSWORD))
                    .isEqualTo(403);
        }
        // The same accounts from another address are not locked.
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            assertThat(register(sip::request, new RawRegister("untouched", DOMAIN, sip.localPort()), PASSWORD)).isEqualTo(200);
            assertThat(register(sip::request, new RawRegister("target7", DOMAIN, sip.localPort()), PASSWORD)).isEqualTo(200);
        }

        assertThat(metric("pinhole_auth_lockouts_total{kind=\"source\"}") - sourceLockouts).isEqualTo(1);
        assertThat(metric("pinhole_auth_lockout_refusals_total{kind=\"source\"}") - sourceRefusals).isEqualTo(2);
        assertThat(metric("pinhole_auth_lockouts_total{kind=\"account\"}") - accountLockouts).isZero();
    }

    private Sipp sipp(String scenario, String user, String password) {
        return Sipp.scenario(scenario, proxy.sipTarget()).localPort(FreePorts.udpAndTcp()).service(user)
                .credentials(user, password).key("domain", DOMAIN).key("expires", 600);
    }

    /** Sends a REGISTER and returns the final answer. */
    private interface Exchange {
        Optional<String> request(String message);
    }

    /** Challenged REGISTER, then {@code count} wrong answers, each to the nonce of the previous 401: their statuses. */
    private static List<Integer> wrongAnswers(Exchange sip, RawRegister phone, int count) {
        String answer = sip.request(phone.request(phone.contact())).orElseThrow();
        assertThat(status(answer)).as(answer).isEqualTo(401);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            answer = sip.request(phone.request(phone.contact()
                    + phone.authorization(DigestAlgorithm.MD5, "guess-" + i, md5Nonce(answer), "00000001"))).orElseThrow();
            statuses.add(status(answer));
            if (status(answer) != 401) {
                break;
            }
        }
        return statuses;
    }

    /** Challenged REGISTER answered with {@code password}: the final status. */
    private static int register(Exchange sip, RawRegister phone, String password) {
        String challenge = sip.request(phone.request(phone.contact())).orElseThrow();
        assertThat(status(challenge)).as(challenge).isEqualTo(401);
        String answer = sip.request(phone.request(phone.contact()
                + phone.authorization(DigestAlgorithm.MD5, password, md5Nonce(challenge), "00000001"))).orElseThrow();
        if (status(answer) == 403) {
            assertThat(answer.lines().findFirst().orElseThrow()).contains(LOCKED);
        }
        return status(answer);
    }

    private static String md5Nonce(String challenge) {
        return headers(challenge, "WWW-Authenticate").stream().map(RawRegister::challengeParams)
                .filter(p -> "MD5".equals(p.get("algorithm"))).findFirst().orElseThrow().get("nonce");
    }

    /** The value of one Prometheus sample (0 when the series does not exist yet). */
    private double metric(String series) {
        var response = proxy.admin("GET", "/actuator/prometheus", null);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .findFirst().orElse(0);
    }

    /** A UDP phone on another loopback address (RawSip binds the address it sends to). */
    private static final class Guesser implements AutoCloseable {
        private final DatagramSocket socket;
        private final InetSocketAddress proxy;

        Guesser(InetAddress local, int proxyPort) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(local, 0));
            socket.setSoTimeout(2000);
            proxy = new InetSocketAddress(InetAddress.getLoopbackAddress(), proxyPort);
        }

        int localPort() {
            return socket.getLocalPort();
        }

        Optional<String> request(String message) {
            try {
                byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(bytes, bytes.length, proxy));
                while (true) {
                    DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
                    socket.receive(packet);
                    String answer = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                    if (!answer.startsWith("SIP/2.0 1")) {
                        return Optional.of(answer);
                    }
                }
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
