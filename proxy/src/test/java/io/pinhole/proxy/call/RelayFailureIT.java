package io.pinhole.proxy.call;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A relay that does not answer: the call fails fast with 503 and Retry-After, never hangs. */
class RelayFailureIT {

    private static final String DOMAIN = "dead.example";

    @Test
    void deadRelayGives503WithRetryAfterWithinTheBound() throws InterruptedException {
        int nothingListens = FreePorts.udpAndTcp();
        try (ProxyInstance proxy = ProxyInstance.start(Map.of(
                "pinhole.media.default-relay", "127.0.0.1:" + nothingListens,
                "pinhole.media.policy", "always",
                "pinhole.media.timeout", "500ms",
                "pinhole.media.ping-interval", "300ms"))) {
            proxy.addUser(DOMAIN, "alice", "correct-horse");
            proxy.addUser(DOMAIN, "bob", "correct-horse");
            int port = FreePorts.udpAndTcp();
            assertThat(Sipp.scenario("register.xml", proxy.sipTarget()).localPort(port).service("bob")
                    .credentials("bob", "correct-horse").key("domain", DOMAIN).key("expires", 600).run().passed()).isTrue();

            long started = System.nanoTime();
            Sipp.Result first = call(proxy);
            long firstMillis = (System.nanoTime() - started) / 1_000_000;
            Thread.sleep(1500); // the failed pings take the relay out of the pool
            Sipp.Result second = call(proxy);

            assertThat(first.passed()).as(first.describe()).isTrue();
            // Whether the offer timed out or the failed pings got there first, the caller hears 503 soon.
            assertThat(first.messages()).containsPattern("SIP/2.0 503 (Media relay unavailable|No media relay available)")
                    .contains("Retry-After:");
            assertThat(firstMillis).as("bounded by the ng timeout, not by SIP timers").isLessThan(10_000);
            assertThat(second.passed()).as(second.describe()).isTrue();
            assertThat(second.messages()).as("the dead relay was taken out of the pool by its failed pings")
                    .contains("SIP/2.0 503 No media relay available");
        }
    }

    private static Sipp.Result call(ProxyInstance proxy) {
        return Sipp.scenario("call-uac-503.xml", proxy.sipTarget()).service("alice").credentials("alice", "correct-horse")
                .key("domain", DOMAIN).key("callee", "bob").key("sdp_ip", "192.0.2.10").run();
    }
}
