package io.pinhole.proxy.call;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** No redirect server answering: the caller gets 503 + Retry-After after the bounded waits, never a hang. */
class RedirectFailureIT {

    @Test
    void silentRedirectServersGive503AfterTheirBounds() {
        int dead1 = FreePorts.udpAndTcp();
        int dead2 = FreePorts.udpAndTcp();
        try (ProxyInstance proxy = ProxyInstance.start(Map.of(
                "pinhole.routing.redirect-servers", "127.0.0.1:" + dead1 + ",127.0.0.1:" + dead2,
                "pinhole.routing.redirect-timeout", "700ms",
                "pinhole.media.policy", "never"))) {
            proxy.addUser("r.example", "alice", "correct-horse");

            long started = System.nanoTime();
            Sipp.Result alice = Sipp.scenario("call-uac-503-elsewhere.xml", proxy.sipTarget()).service("alice")
                    .credentials("alice", "correct-horse").key("domain", "r.example").key("callee", "carol")
                    .key("sdp_ip", "192.0.2.10").key("callee_domain", "elsewhere.example").run();
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertThat(alice.passed()).as(alice.describe()).isTrue();
            assertThat(alice.messages()).contains("SIP/2.0 503 Redirect server unavailable", "Retry-After:");
            assertThat(millis).as("two servers x 700 ms, plus SIPp's own start").isLessThan(8_000);
        }
    }
}
