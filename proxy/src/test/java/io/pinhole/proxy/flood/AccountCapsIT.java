package io.pinhole.proxy.flood;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The toll-fraud cap on a whole proxy: an account with its one allowed call up is refused the
 * next with 403 and the reason, another account is not, and once the call has ended (BYE) the
 * account calls again. Media is not relayed.
 */
class AccountCapsIT {

    private static final String DOMAIN = "fraud.example";
    private static final String PASSWORD = "correct-horse";

    @Test
    void anAccountAtItsConcurrentCapIsRefusedAndCallsAgainOnceItsCallHasEnded() {
        // no NAT probe: its OPTIONS to a registered SIPp UAS would be taken for the call it waits for
        try (ProxyInstance proxy = ProxyInstance.start(Map.of("pinhole.media.policy", "never",
                "pinhole.probe.enabled", false, "pinhole.flood.max-concurrent-calls-per-account", 1))) {
            for (String user : new String[]{"alice", "dave", "bob", "carol", "erin"}) {
                proxy.addUser(DOMAIN, user, PASSWORD);
            }
            Sipp.Running bob = callee(proxy, "bob");
            Sipp.Running carol = callee(proxy, "carol");

            // alice's one call stays up for 4 s
            Sipp.Running first = caller(proxy, "call-uac-long.xml", "alice", "bob").arg("-d", "4000").start();
            eventually(Duration.ofSeconds(10), () -> metric(proxy, "pinhole_calls_active") == 1, "alice's call is up");

            Sipp.Result refused = caller(proxy, "call-uac-locked-out.xml", "alice", "carol").run();
            assertThat(refused.passed()).as(refused.describe()).isTrue();
            assertThat(refused.messages())
                    .contains("SIP/2.0 403 Forbidden (too many calls in progress for this account)");
            Sipp.Result dave = caller(proxy, "call-uac.xml", "dave", "carol").run();
            assertThat(dave.passed()).as("another account is not limited: " + dave.describe()).isTrue();
            assertThat(carol.await().passed()).isTrue();

            Sipp.Result firstDone = first.await();
            assertThat(firstDone.passed()).as(firstDone.describe()).isTrue();
            assertThat(bob.await().passed()).isTrue();
            eventually(Duration.ofSeconds(5), () -> metric(proxy, "pinhole_calls_active") == 0, "alice's call ended");

            Sipp.Running erin = callee(proxy, "erin");
            Sipp.Result again = caller(proxy, "call-uac.xml", "alice", "erin").run();
            assertThat(again.passed()).as("alice calls again after her call ended: " + again.describe()).isTrue();
            assertThat(erin.await().passed()).isTrue();
            assertThat(metric(proxy, "pinhole_calls_rejected_total{reason=\"account-concurrent\"}")).isEqualTo(1);
        }
    }

    /** Registers {@code user} from a fixed port and starts a SIPp UAS there that answers one call. */
    private static Sipp.Running callee(ProxyInstance proxy, String user) {
        int port = FreePorts.udpAndTcp();
        Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(port).service(user)
                .credentials(user, PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(registered.passed()).as(registered.describe()).isTrue();
        return Sipp.scenario("call-uas.xml", proxy.sipTarget()).localPort(port).start();
    }

    private static Sipp caller(ProxyInstance proxy, String scenario, String user, String callee) {
        return Sipp.scenario(scenario, proxy.sipTarget()).service(user).credentials(user, PASSWORD)
                .key("domain", DOMAIN).key("callee", callee).key("sdp_ip", "192.0.2.10");
    }

    private static double metric(ProxyInstance proxy, String series) {
        var response = proxy.admin("GET", "/actuator/prometheus", null);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .findFirst().orElse(0);
    }
}
