package io.pinhole.proxy.call;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** Calls through the B2BUA with SIPp on both ends and our relay as a separate process. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallSippIT {

    private static final String DOMAIN = "call.example";
    private static final String PASSWORD = "correct-horse";

    private RelayProcess relay;
    private ProxyInstance proxy;

    @BeforeAll
    void start() {
        relay = RelayProcess.start(43000, 43999);
        proxy = ProxyInstance.start(Map.of("pinhole.media.default-relay", relay.control()));
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    /** Registers {@code user} from a fixed port and starts a SIPp UAS there with {@code scenario}. */
    private Sipp.Running callee(String user, String scenario) {
        return callee(proxy, user, scenario);
    }

    private static Sipp.Running callee(ProxyInstance on, String user, String scenario) {
        on.addUser(DOMAIN, user, PASSWORD);
        int port = FreePorts.udpAndTcp();
        Sipp.Result registered = Sipp.scenario("register.xml", on.sipTarget()).localPort(port).service(user)
                .credentials(user, PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(registered.passed()).as(registered.describe()).isTrue();
        return Sipp.scenario(scenario, on.sipTarget()).localPort(port).start();
    }

    private Sipp caller(String scenario, String user, String callee, String sdpAddress) {
        return caller(proxy, scenario, user, callee, sdpAddress);
    }

    private static Sipp caller(ProxyInstance on, String scenario, String user, String callee, String sdpAddress) {
        on.addUser(DOMAIN, user, PASSWORD);
        return Sipp.scenario(scenario, on.sipTarget()).service(user).credentials(user, PASSWORD)
                .key("domain", DOMAIN).key("callee", callee).key("sdp_ip", sdpAddress);
    }

    private List<Map<String, Object>> cdrs(String callee) {
        return proxy.bean(JdbcTemplate.class).queryForList("SELECT * FROM calls WHERE callee = ?", callee + "@" + DOMAIN);
    }

    @Test
    void callerBehindNatGetsTheRelayOnBothLegs() {
        Sipp.Running bob = callee("bob", "call-uas.xml");

        Sipp.Result alice = caller("call-uac.xml", "alice", "bob", "10.77.0.2").run();
        Sipp.Result bobResult = bob.await();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(bobResult.passed()).as(bobResult.describe()).isTrue();
        String offerSeenByBob = body(bobResult.messages(), "INVITE sip:");
        String answerSeenByAlice = body(alice.messages(), "SIP/2.0 200 OK");
        assertThat(offerSeenByBob).contains("c=IN IP4 127.0.0.1").doesNotContain("10.77.0.2");
        assertThat(mediaPort(offerSeenByBob)).isBetween(relay.portMin(), relay.portMax());
        assertThat(mediaPort(answerSeenByAlice)).isBetween(relay.portMin(), relay.portMax());
        eventually(Duration.ofSeconds(5), () -> cdrs("bob").size() == 1, "CDR written");
        Map<String, Object> cdr = cdrs("bob").get(0);
        assertThat(cdr).containsEntry("outcome", "answered").containsEntry("media_path", "RELAY_UDP")
                .containsEntry("caller_behind_nat", true).containsEntry("sip_status", 200);
        assertThat(cdr.get("answered_at")).isNotNull();
        // nothing is probed yet: a caller behind NAT is relayed as before, and the CDR says why
        assertThat(cdr).containsEntry("caller_path_planned", "RELAY_UDP").containsEntry("caller_path", "RELAY_UDP")
                .containsEntry("callee_path_planned", "RELAY_UDP").containsEntry("callee_path", "RELAY_UDP")
                .containsEntry("path_reason", "caller behind NAT, not probed: RELAY_UDP");
        assertThat(proxy.bean(MeterRegistry.class).get("pinhole.media.paths").tag("leg", "callee")
                .tag("planned", "RELAY_UDP").tag("actual", "RELAY_UDP").counter().count()).isGreaterThanOrEqualTo(1);
        eventually(Duration.ofSeconds(5), this::relayIsEmpty, "relay ports freed after BYE");
    }

    @Test
    void busyCalleeIsPassedBackAndLeavesNoRelayPorts() {
        Sipp.Running bob = callee("busybob", "call-uas-busy.xml");

        Sipp.Result alice = caller("call-uac-486.xml", "alice2", "busybob", "10.77.0.2").run();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(bob.await().passed()).isTrue();
        assertThat(alice.messages()).contains("SIP/2.0 486 Busy Here");
        eventually(Duration.ofSeconds(5), () -> cdrs("busybob").size() == 1, "CDR written");
        assertThat(cdrs("busybob").get(0)).containsEntry("outcome", "busy").containsEntry("sip_status", 486);
        eventually(Duration.ofSeconds(5), this::relayIsEmpty, "relay ports freed after the failure");
    }

    @Test
    void unregisteredUserGets480AndUnknownUser404() {
        proxy.addUser(DOMAIN, "offline", PASSWORD);

        Sipp.Result offline = caller("call-uac-480.xml", "alice3", "offline", "192.0.2.10").run();
        Sipp.Result unknown = caller("call-uac-404.xml", "alice4", "nosuchuser", "192.0.2.10").run();

        assertThat(offline.passed()).as(offline.describe()).isTrue();
        assertThat(unknown.passed()).as(unknown.describe()).isTrue();
    }

    @Test
    void wrongPasswordIsChallengedThenForbidden() {
        proxy.addUser(DOMAIN, "mallory", PASSWORD);
        proxy.addUser(DOMAIN, "victim", PASSWORD);

        Sipp.Result result = Sipp.scenario("call-uac-forbidden.xml", proxy.sipTarget()).service("mallory")
                .credentials("mallory", "not-the-password").key("domain", DOMAIN).key("callee", "victim")
                .key("sdp_ip", "192.0.2.10").run();

        assertThat(result.passed()).as(result.describe()).isTrue();
    }

    @Test
    void cancelBeforeAnswerReaches487AndTheCallee() {
        Sipp.Running bob = callee("ringbob", "call-uas-ring-cancel.xml");

        Sipp.Result alice = caller("call-uac-cancel.xml", "alice5", "ringbob", "10.77.0.2").run();
        Sipp.Result bobResult = bob.await();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(bobResult.passed()).as(bobResult.describe()).isTrue();
        eventually(Duration.ofSeconds(5), () -> cdrs("ringbob").size() == 1, "CDR written");
        assertThat(cdrs("ringbob").get(0)).containsEntry("outcome", "cancelled").containsEntry("sip_status", 487);
        eventually(Duration.ofSeconds(5), this::relayIsEmpty, "relay ports freed after CANCEL");
    }

    @Test
    void rfc2543PhoneWithoutBranchCancelsWhileRinging() {
        // No RFC 3261 branch in any Via: the proxy's call is keyed by Call-ID alone on both the INVITE
        // and the CANCEL, and the stack matches the CANCEL and the ACKs the RFC 2543 way.
        Sipp.Running bob = callee("ringbob2543", "call-uas-ring-cancel.xml");

        Sipp.Result alice = caller("call-uac-cancel-2543.xml", "alice2543", "ringbob2543", "10.77.0.2").run();
        Sipp.Result bobResult = bob.await();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(bobResult.passed()).as("the callee's fork is cancelled: " + bobResult.describe()).isTrue();
        eventually(Duration.ofSeconds(5), () -> cdrs("ringbob2543").size() == 1, "CDR written");
        assertThat(cdrs("ringbob2543").get(0)).containsEntry("outcome", "cancelled").containsEntry("sip_status", 487);
    }

    @Test
    void calleeCanHangUp() {
        Sipp.Running bob = callee("byebob", "call-uas-bye.xml");

        Sipp.Result alice = caller("call-uac-wait-bye.xml", "alice6", "byebob", "10.77.0.2").run();
        Sipp.Result bobResult = bob.await();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(bobResult.passed()).as(bobResult.describe()).isTrue();
        eventually(Duration.ofSeconds(5), this::relayIsEmpty, "relay ports freed after the callee's BYE");
        eventually(Duration.ofSeconds(5), () -> cdrs("byebob").size() == 1, "CDR written");
    }

    @Test
    void holdAndResumeAreReOfferedOnTheSameRelayPorts() {
        Sipp.Running bob = callee("holdbob", "call-uas-hold.xml");

        Sipp.Result alice = caller("call-uac-hold.xml", "alice7", "holdbob", "10.77.0.2").run();
        Sipp.Result bobResult = bob.await();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(bobResult.passed()).as(bobResult.describe()).isTrue();
        List<Integer> offeredToBob = mediaPorts(bobResult.messages(), "INVITE sip:");
        assertThat(offeredToBob).hasSize(3);
        assertThat(offeredToBob).allMatch(port -> port.equals(offeredToBob.get(0)));
        assertThat(offeredToBob.get(0)).isBetween(relay.portMin(), relay.portMax());
        eventually(Duration.ofSeconds(5), this::relayIsEmpty, "relay ports freed after BYE");
    }

    @Test
    void reliableEarlyMediaIsPrackedAndItsSdpRelayed() {
        Sipp.Running bob = callee("earlybob", "call-uas-100rel.xml");

        Sipp.Result alice = caller("call-uac-early-media.xml", "alice8", "earlybob", "10.77.0.2").run();
        Sipp.Result bobResult = bob.await();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(bobResult.passed()).as(bobResult.describe()).isTrue();
        assertThat(mediaPort(body(alice.messages(), "SIP/2.0 183"))).isBetween(relay.portMin(), relay.portMax());
        eventually(Duration.ofSeconds(5), this::relayIsEmpty, "relay ports freed after BYE");
    }

    @Test
    void forksToEveryBindingFirstAnswerWinsOthersAreCancelled() {
        proxy.addUser(DOMAIN, "forkbob", PASSWORD);
        int deskPort = FreePorts.udpAndTcp();
        int mobilePort = FreePorts.udpAndTcp();
        for (int port : new int[]{deskPort, mobilePort}) {
            assertThat(Sipp.scenario("register.xml", proxy.sipTarget()).localPort(port).service("forkbob")
                    .credentials("forkbob", PASSWORD).key("domain", DOMAIN).key("expires", 600).run().passed()).isTrue();
        }
        Sipp.Running desk = Sipp.scenario("call-uas-ring-then-answer.xml", proxy.sipTarget()).localPort(deskPort).start();
        Sipp.Running mobile = Sipp.scenario("call-uas-ring-cancel.xml", proxy.sipTarget()).localPort(mobilePort).start();

        Sipp.Result alice = caller("call-uac.xml", "alice9", "forkbob", "10.77.0.2").run();
        Sipp.Result deskResult = desk.await();
        Sipp.Result mobileResult = mobile.await();

        // Each side's story in every message: a fork that never rang explains a caller's timeout.
        String sides = "\nalice: " + alice.describe() + "\ndesk: " + deskResult.describe() + "\nmobile: "
                + mobileResult.describe();
        assertThat(alice.passed()).as("the caller is answered" + sides).isTrue();
        assertThat(deskResult.passed()).as("the desk phone answers" + sides).isTrue();
        assertThat(mobileResult.passed()).as("the ringing fork is cancelled" + sides).isTrue();
        eventually(Duration.ofSeconds(5), this::relayIsEmpty, "relay ports freed after BYE");
        // two forks: the callee's columns are those of the fork that answered (none would be there without a match)
        eventually(Duration.ofSeconds(5), () -> cdrs("forkbob").size() == 1, "CDR written");
        assertThat(cdrs("forkbob").get(0)).containsEntry("callee_path_planned", "RELAY_UDP")
                .containsEntry("callee_path", "RELAY_UDP");
    }

    @Test
    void infoInsideTheCallReachesTheOtherSide() {
        Sipp.Running bob = callee("infobob", "call-uas-info.xml");

        Sipp.Result alice = caller("call-uac-info.xml", "alice10", "infobob", "10.77.0.2").run();
        Sipp.Result bobResult = bob.await();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(bobResult.passed()).as(bobResult.describe()).isTrue();
    }

    @Test
    void updateInsideTheCallIsReOfferedThroughTheRelay() {
        Sipp.Running bob = callee("updbob", "call-uas-update.xml");

        Sipp.Result alice = caller("call-uac-update.xml", "alice11", "updbob", "10.77.0.2").run();
        Sipp.Result bobResult = bob.await();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(bobResult.passed()).as(bobResult.describe()).isTrue();
        List<Integer> offered = mediaPorts(bobResult.messages(), "UPDATE sip:");
        assertThat(offered).singleElement().satisfies(port -> assertThat(port).isBetween(relay.portMin(), relay.portMax()));
    }

    @Test
    void policyNeverLeavesTheSdpAlone() {
        try (ProxyInstance direct = ProxyInstance.start(Map.of("pinhole.media.default-relay", relay.control(),
                "pinhole.media.policy", "never"))) {
            Sipp.Running bob = callee(direct, "dcallee", "call-uas.xml");

            Sipp.Result alice = caller(direct, "call-uac.xml", "dcaller", "dcallee", "10.77.0.2").run();
            Sipp.Result bobResult = bob.await();

            assertThat(alice.passed()).as(alice.describe()).isTrue();
            assertThat(body(bobResult.messages(), "INVITE sip:")).contains("c=IN IP4 10.77.0.2");
            JdbcTemplate jdbc = direct.bean(JdbcTemplate.class);
            eventually(Duration.ofSeconds(5), () -> jdbc.queryForObject("SELECT count(*) FROM calls WHERE callee = ?",
                    Integer.class, "dcallee@" + DOMAIN) == 1, "CDR written");
            assertThat(jdbc.queryForMap("SELECT * FROM calls WHERE callee = ?", "dcallee@" + DOMAIN))
                    .containsEntry("media_path", "DIRECT").containsEntry("caller_path_planned", "DIRECT")
                    .containsEntry("caller_path", "DIRECT").containsEntry("callee_path", "DIRECT")
                    .containsEntry("path_reason", "policy never relays: DIRECT");
        }
    }

    @Test
    void aRepeatedByeIsAnsweredAgainOnlyWithinTheLinger() throws Exception {
        try (ProxyInstance brief = ProxyInstance.start(Map.of("pinhole.media.default-relay", relay.control(),
                "pinhole.sip.non-invite-linger", "3s"))) {
            Sipp.Running bob = callee(brief, "rcallee", "call-uas.xml");
            int callerPort = FreePorts.udpAndTcp();
            Sipp.Result alice = caller(brief, "call-uac.xml", "rcaller", "rcallee", "10.77.0.2").localPort(callerPort).run();
            assertThat(alice.passed()).as(alice.describe()).isTrue();
            assertThat(bob.await().passed()).isTrue();

            // The caller's BYE once more, byte for byte from its port, as if the 200 had been lost
            // (SIPp itself cannot: it takes the repeated 200 for a retransmission and loops).
            byte[] bye = sentMessage(alice.messages(), "BYE sip:");
            try (DatagramSocket caller = new DatagramSocket(callerPort,
                    InetAddress.getLoopbackAddress())) {
                caller.setSoTimeout(2000);
                var proxyAddress = new InetSocketAddress("127.0.0.1", brief.sipPort());
                assertThat(exchange(caller, proxyAddress, bye)).as("answer to the BYE repeated at once")
                        .hasValueSatisfying(reply -> assertThat(reply).startsWith("SIP/2.0 200"));
                Thread.sleep(4000); // past the 3 s linger
                // The transaction is gone: no 200 any more (the stack drops it while the ended
                // dialog lingers, the proxy answers 481 after that).
                assertThat(exchange(caller, proxyAddress, bye)).as("answer to the BYE repeated after the linger")
                        .satisfies(reply -> assertThat(reply.orElse("SIP/2.0 481")).startsWith("SIP/2.0 481"));
            }
        }
    }

    /** The first message in a SIPp trace starting with {@code startLine}, as it went on the wire. */
    private static byte[] sentMessage(String trace, String startLine) {
        String lines = trace.replace("\r", "");
        int at = lines.indexOf(startLine);
        assertThat(at).as("%s in the trace", startLine).isGreaterThanOrEqualTo(0);
        String text = lines.substring(at, lines.indexOf("\n\n", at));
        return (String.join("\r\n", text.split("\n")) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends one datagram; the reply within the socket's timeout, if any. */
    private static Optional<String> exchange(DatagramSocket socket, SocketAddress to,
                                                       byte[] message) throws IOException {
        socket.send(new DatagramPacket(message, message.length, to));
        byte[] buffer = new byte[4096];
        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(reply);
        } catch (SocketTimeoutException silence) {
            return Optional.empty();
        }
        return Optional.of(new String(buffer, 0, reply.getLength(), StandardCharsets.US_ASCII));
    }

    /** The m=audio port of every message in a trace whose first line starts with {@code startLine}. */
    static List<Integer> mediaPorts(String trace, String startLine) {
        List<Integer> ports = new java.util.ArrayList<>();
        int at = 0;
        while ((at = trace.indexOf("\n" + startLine, at)) >= 0) {
            int end = trace.indexOf("-----", at);
            Matcher m = Pattern.compile("m=audio (\\d+)").matcher(trace.substring(at, end < 0 ? trace.length() : end));
            if (m.find()) {
                ports.add(Integer.parseInt(m.group(1)));
            }
            at++;
        }
        return ports;
    }

    private boolean relayIsEmpty() {
        Object calls = relay.command(Map.of("command", "list")).get("calls");
        return calls instanceof List<?> list && list.isEmpty();
    }

    /** The SDP body of the first message in a SIPp trace whose first line starts with {@code startLine}. */
    static String body(String trace, String startLine) {
        int at = trace.indexOf("\n" + startLine);
        assertThat(at).as("no '" + startLine + "' in trace:\n" + trace).isGreaterThanOrEqualTo(0);
        int bodyStart = trace.indexOf("\n\n", at);
        int v = trace.indexOf("v=0", at);
        int end = trace.indexOf("-----", v);
        assertThat(v).as("message has no SDP").isGreaterThan(0);
        return trace.substring(v, end < 0 ? trace.length() : end);
    }

    static int mediaPort(String sdp) {
        Matcher m = Pattern.compile("m=audio (\\d+)").matcher(sdp);
        assertThat(m.find()).as(sdp).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
