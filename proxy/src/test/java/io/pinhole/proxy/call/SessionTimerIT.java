package io.pinhole.proxy.call;

import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import io.pinhole.testsupport.SippTrace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session timers (RFC 4028) with SIPp on both ends. The RFC's 90 s minimum would make each call
 * last a minute and more, so this proxy accepts 10 s ({@code pinhole.calls.min-se-floor}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionTimerIT {

    private static final String DOMAIN = "st.example";
    private static final String PASSWORD = "correct-horse";
    private static final int INTERVAL = 10;

    private ProxyInstance proxy;

    @BeforeAll
    void start() {
        // Media stays between the phones: the session timer does not depend on a relay.
        proxy = ProxyInstance.start(Map.of("pinhole.media.policy", "never",
                "pinhole.calls.min-se-floor", "10s", "pinhole.calls.min-se", "10s"));
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void sessionNobodyRefreshesIsHungUpOnBothSides() {
        Sipp.Running bob = callee("bob", "call-uas-timer.xml");

        Sipp.Result alice = caller("call-uac-timer-wait-bye.xml", "alice", "bob", INTERVAL).run();
        Sipp.Result bobResult = bob.await();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(bobResult.passed()).as(bobResult.describe()).isTrue();
        var invite = SippTrace.firstReceived(bobResult.messages(), "INVITE ").orElseThrow();
        assertThat(invite.text()).as("the callee hears the caller's wish").contains("Session-Expires: 10;refresher=uac")
                .contains("Min-SE: 10").containsPattern("Supported: .*timer");
        var answered = SippTrace.firstReceived(alice.messages(), "SIP/2.0 200").orElseThrow();
        assertThat(answered.text()).as("the caller is told it refreshes")
                .contains("Session-Expires: 10;refresher=uac").contains("Require: timer");
        var byeToCaller = SippTrace.firstReceived(alice.messages(), "BYE ").orElseThrow();
        var byeToCallee = SippTrace.firstReceived(bobResult.messages(), "BYE ").orElseThrow();
        for (var bye : List.of(byeToCaller, byeToCallee)) {
            // RFC 4028 §10: min(32 s, I/3) before the interval ends, so 6.7 s here (the check runs each second).
            assertThat(Duration.between(answered.at(), bye.at())).as("BYE after the answer")
                    .isBetween(Duration.ofMillis(6000), Duration.ofSeconds(INTERVAL));
            assertThat(bye.text()).contains("Reason: SIP;cause=408;text=\"Session expired\"");
        }
        eventually(Duration.ofSeconds(5), () -> cdrs("bob").size() == 1, "CDR written");
        assertThat(cdrs("bob").get(0)).containsEntry("outcome", "session-expired").containsEntry("sip_status", 200);
        assertThat(proxy.bean(MeterRegistry.class).get("pinhole.calls.hangups").tag("reason", "session-expired")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void refreshedSessionStaysUpPastItsInterval() {
        Sipp.Running carol = callee("carol", "call-uas-timer.xml");

        // Refreshes by re-INVITE at 4 s and 8 s, hangs up itself at 12 s: longer than the 10 s
        // interval, and a BYE from the proxy before that fails the scenario.
        Sipp.Result dave = caller("call-uac-timer-refresh.xml", "dave", "carol", INTERVAL).arg("-d", "4000").run();
        Sipp.Result carolResult = carol.await();

        assertThat(dave.passed()).as(dave.describe()).isTrue();
        assertThat(carolResult.passed()).as(carolResult.describe()).isTrue();
        long refreshesSeen = SippTrace.parse(carolResult.messages()).stream()
                .filter(m -> m.received() && m.startLine().startsWith("INVITE ")
                        && m.text().contains("Session-Expires: 10;refresher=uac"))
                .count();
        assertThat(refreshesSeen).as("the INVITE and both refreshes reach the callee with their interval").isEqualTo(3);
        eventually(Duration.ofSeconds(5), () -> cdrs("carol").size() == 1, "CDR written");
        assertThat(cdrs("carol").get(0)).containsEntry("outcome", "answered");
    }

    @Test
    void intervalBelowMinSeIsRefusedWith422AndOurMinSe() {
        proxy.addUser(DOMAIN, "frank", PASSWORD);

        Sipp.Result erin = caller("call-uac-timer-422.xml", "erin", "frank", 5).run();

        assertThat(erin.passed()).as(erin.describe()).isTrue();
        assertThat(SippTrace.firstReceived(erin.messages(), "SIP/2.0 422").orElseThrow().text())
                .startsWith("SIP/2.0 422 Session Interval Too Small").contains("Min-SE: 10");
    }

    private Sipp.Running callee(String user, String scenario) {
        proxy.addUser(DOMAIN, user, PASSWORD);
        int port = FreePorts.udpAndTcp();
        Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(port).service(user)
                .credentials(user, PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(registered.passed()).as(registered.describe()).isTrue();
        return Sipp.scenario(scenario, proxy.sipTarget()).localPort(port).start();
    }

    /** A caller asking for a session of {@code seconds} that it refreshes itself. */
    private Sipp caller(String scenario, String user, String callee, int seconds) {
        proxy.addUser(DOMAIN, user, PASSWORD);
        return Sipp.scenario(scenario, proxy.sipTarget()).service(user).credentials(user, PASSWORD)
                .key("domain", DOMAIN).key("callee", callee).key("sdp_ip", "192.0.2.10").key("se", seconds);
    }

    private List<Map<String, Object>> cdrs(String callee) {
        return proxy.bean(JdbcTemplate.class).queryForList("SELECT * FROM calls WHERE callee = ?", callee + "@" + DOMAIN);
    }
}
