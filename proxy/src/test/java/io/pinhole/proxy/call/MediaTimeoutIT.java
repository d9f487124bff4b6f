package io.pinhole.proxy.call;

import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.proxy.support.RtpPcap;
import io.pinhole.proxy.support.RtpengineProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import io.pinhole.testsupport.SippTrace;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls whose media died at the relay (its media timeout, 3 s here) are hung up by the proxy:
 * both phones get a BYE, the CDR says {@code media-timeout}. A call with RTP flowing stays up.
 */
class MediaTimeoutIT {

    private static final String DOMAIN = "mt.example";
    private static final String PASSWORD = "correct-horse";
    private static final Duration RELAY_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    @Test
    void silentCallIsHungUpOnBothSidesWhenOurRelayTimesItOut() {
        try (RelayProcess relay = RelayProcess.start(47000, 47499, "127.0.0.1", Map.of("pinhole.relay.timeout", "3s"));
             ProxyInstance proxy = proxy(relay.control())) {
            assertSilentCallIsHungUp(proxy, "bob", relay::command);
        }
    }

    @Test
    void silentCallIsHungUpOnBothSidesWhenRtpengineTimesItOut() {
        try (RtpengineProcess rtpengine = RtpengineProcess.start(47500, 47999, "--timeout=3");
             ProxyInstance proxy = proxy(rtpengine.control())) {
            assertSilentCallIsHungUp(proxy, "carol", rtpengine::command);
        }
    }

    @Test
    void callWithRtpFlowingStaysUpPastTheTimeout() {
        try (RelayProcess relay = RelayProcess.start(47000, 47499, "127.0.0.1", Map.of("pinhole.relay.timeout", "3s"));
             ProxyInstance proxy = proxy(relay.control())) {
            Sipp.Running callee = callee(proxy, "dave", "call-uas.xml");

            // Talks for 7 s, more than twice the relay's timeout, then hangs up itself: a BYE from
            // the proxy before that fails the scenario.
            Sipp.Result caller = caller(proxy, "call-uac-rtp.xml", "erin", "dave")
                    .file("rtp.pcap", RtpPcap.silence(Duration.ofSeconds(9))).arg("-d", "7000").run();
            Sipp.Result calleeResult = callee.await();

            assertThat(caller.passed()).as(caller.describe()).isTrue();
            assertThat(calleeResult.passed()).as(calleeResult.describe()).isTrue();
            eventually(Duration.ofSeconds(5), () -> cdrs(proxy, "dave").size() == 1, "CDR written");
            Map<String, Object> cdr = cdrs(proxy, "dave").get(0);
            assertThat(cdr).containsEntry("outcome", "answered").containsEntry("media_path", "RELAY_UDP");
            assertThat((Long) cdr.get("packets")).as("RTP went through the relay").isGreaterThan(200L);
            assertThat(hangups(proxy)).isZero();
        }
    }

    private void assertSilentCallIsHungUp(ProxyInstance proxy, String calleeName,
                                          Function<Map<String, Object>, Map<String, Object>> ng) {
        Sipp.Running callee = callee(proxy, calleeName, "call-uas.xml");

        Sipp.Result caller = caller(proxy, "call-uac-wait-bye.xml", "a" + calleeName, calleeName).run();
        Sipp.Result calleeResult = callee.await();

        // Each side answered the proxy's BYE with 200 (the scenarios end with it).
        assertThat(caller.passed()).as(caller.describe()).isTrue();
        assertThat(calleeResult.passed()).as(calleeResult.describe()).isTrue();
        var answered = SippTrace.firstReceived(caller.messages(), "SIP/2.0 200").orElseThrow();
        var byeToCaller = SippTrace.firstReceived(caller.messages(), "BYE ").orElseThrow();
        var byeToCallee = SippTrace.firstReceived(calleeResult.messages(), "BYE ").orElseThrow();
        Duration bound = RELAY_TIMEOUT.plus(CHECK_INTERVAL).plusSeconds(2);
        for (var bye : List.of(byeToCaller, byeToCallee)) {
            Duration after = Duration.between(answered.at(), bye.at());
            // Not before the relay dropped the call: its timeout, less rtpengine's whole-second
            // clock (it removed calls 2.4-3.2 s after the answer in our runs).
            assertThat(after).as("BYE after the answer").isLessThanOrEqualTo(bound)
                    .isGreaterThanOrEqualTo(RELAY_TIMEOUT.minusSeconds(1));
            assertThat(bye.text()).contains("Reason: SIP;cause=408;text=\"Media timeout\"");
        }
        eventually(Duration.ofSeconds(5), () -> cdrs(proxy, calleeName).size() == 1, "CDR written");
        assertThat(cdrs(proxy, calleeName).get(0)).containsEntry("outcome", "media-timeout")
                .containsEntry("sip_status", 200).containsEntry("media_path", "RELAY_UDP");
        assertThat(hangups(proxy)).isEqualTo(1.0);
        Object calls = ng.apply(Map.of("command", "list")).get("calls");
        assertThat(calls).as("the relay holds no call").isInstanceOf(List.class).asList().isEmpty();
    }

    private static ProxyInstance proxy(String relayControl) {
        return ProxyInstance.start(Map.of("pinhole.media.default-relay", relayControl,
                "pinhole.media.timeout-check-interval", CHECK_INTERVAL.toSeconds() + "s"));
    }

    private static Sipp.Running callee(ProxyInstance proxy, String user, String scenario) {
        proxy.addUser(DOMAIN, user, PASSWORD);
        int port = FreePorts.udpAndTcp();
        Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(port).service(user)
                .credentials(user, PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(registered.passed()).as(registered.describe()).isTrue();
        return Sipp.scenario(scenario, proxy.sipTarget()).localPort(port).start();
    }

    private static Sipp caller(ProxyInstance proxy, String scenario, String user, String callee) {
        proxy.addUser(DOMAIN, user, PASSWORD);
        // A private address in the SDP: the caller is behind NAT, so the media goes through the relay.
        return Sipp.scenario(scenario, proxy.sipTarget()).service(user).credentials(user, PASSWORD)
                .key("domain", DOMAIN).key("callee", callee).key("sdp_ip", "10.77.0.2");
    }

    private static List<Map<String, Object>> cdrs(ProxyInstance proxy, String callee) {
        return proxy.bean(JdbcTemplate.class).queryForList("SELECT * FROM calls WHERE callee = ?", callee + "@" + DOMAIN);
    }

    private static double hangups(ProxyInstance proxy) {
        return proxy.bean(MeterRegistry.class).get("pinhole.calls.hangups").tag("reason", "media-timeout").counter().count();
    }
}
