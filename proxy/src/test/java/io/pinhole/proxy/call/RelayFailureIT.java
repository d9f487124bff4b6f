package io.pinhole.proxy.call;

import io.pinhole.proxy.relay.Relay;
import io.pinhole.proxy.relay.RelayPool;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.pinhole.testsupport.Eventually.eventually;
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

            assertThat(first.passed()).as(first.describe()).isTrue();
            // Whether the offer timed out or the failed pings got there first, the caller hears 503 soon.
            assertThat(first.messages()).containsPattern("SIP/2.0 503 (Media relay unavailable|No media relay available)")
                    .contains("Retry-After:");
            assertThat(firstMillis).as("bounded by the ng timeout, not by SIP timers").isLessThan(10_000);
            assertThat(proxy.bean(RelayPool.class).relays().get(0).up())
                    .as("the dead relay was taken out of the pool by its failed pings").isFalse();
            long secondStarted = System.nanoTime();
            Sipp.Result second = call(proxy);
            long secondMillis = (System.nanoTime() - secondStarted) / 1_000_000;
            assertThat(second.passed()).as(second.describe()).isTrue();
            // No other relay is up, so the one marked down is still tried (a relay only starved of CPU
            // would answer): its ng timeout, not a SIP timer, bounds the caller's wait for the 503.
            assertThat(second.messages()).as("the relay marked down is still tried when none is up")
                    .contains("SIP/2.0 503 Media relay unavailable").contains("Retry-After:");
            assertThat(secondMillis).as("bounded by the ng timeout, not by SIP timers").isLessThan(10_000);
        }
    }

    /**
     * The only relay stalls (SIGSTOP: a machine starved of CPU, a long GC) while the callee's answer
     * waits on it, long enough for the pool's failed ping to mark it down. With no other relay to
     * move the call to, that verdict must not cut the answer short (the caller would get 503): the
     * relay, going on before the ng timeout, answers it and the call connects.
     */
    @Test
    void answerWaitingOnTheOnlyRelayWhenItIsMarkedDownStillConnects() throws Exception {
        try (RelayProcess relay = RelayProcess.start(51200, 51299);
             ProxyInstance proxy = ProxyInstance.start(Map.of(
                     "pinhole.media.default-relay", relay.control(),
                     "pinhole.media.policy", "always",
                     "pinhole.media.timeout", "4s",
                     "pinhole.media.ping-interval", "300ms",
                     // the pool's own failed ping marks the relay down here, not the failover watch
                     "pinhole.media.failover.enabled", false))) {
            proxy.addUser(DOMAIN, "alice", "correct-horse");
            proxy.addUser(DOMAIN, "carol", "correct-horse");
            int port = FreePorts.udpAndTcp();
            assertThat(Sipp.scenario("register.xml", proxy.sipTarget()).localPort(port).service("carol")
                    .credentials("carol", "correct-horse").key("domain", DOMAIN).key("expires", 600).run().passed()).isTrue();
            // carol rings for 1.5 s, then answers
            Sipp.Running carol = Sipp.scenario("call-uas-ring-long.xml", proxy.sipTarget()).localPort(port)
                    .arg("-d", "1500").start();
            Sipp.Running alice = Sipp.scenario("call-uac.xml", proxy.sipTarget()).service("alice")
                    .credentials("alice", "correct-horse").key("domain", DOMAIN).key("callee", "carol")
                    .key("sdp_ip", "127.0.0.1").start();
            eventually(Duration.ofSeconds(15), () -> proxy.bean(CallRegistry.class).live().stream()
                    .anyMatch(c -> "EARLY".equals(c.state())), "carol ringing");

            Relay pooled = proxy.bean(RelayPool.class).relays().get(0);
            AtomicBoolean markedDown = new AtomicBoolean();
            Thread watcher = new Thread(() -> {
                while (!markedDown.get() && !Thread.currentThread().isInterrupted()) {
                    markedDown.set(!pooled.up());
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "relay-up-watcher");
            watcher.start();
            // Carol's answer reaches the stalled relay ~1.5 s in; the ping sent in the first 300 ms
            // fails 4 s later and marks the relay down; the relay goes on at 4.8 s, before the
            // answer's own 4 s ng timeout (~5.5 s in), and replies to what queued in its socket.
            relay.freeze(Duration.ofMillis(4800));
            watcher.interrupt();
            watcher.join();

            Sipp.Result aliceSipp = alice.await();
            Sipp.Result carolSipp = carol.await();
            assertThat(markedDown).as("the stalled relay was marked down while the answer waited on it").isTrue();
            assertThat(aliceSipp.passed()).as("alice's call connected (200, ACK, BYE)\n" + aliceSipp.describe()).isTrue();
            assertThat(aliceSipp.messages()).doesNotContain("SIP/2.0 503");
            assertThat(carolSipp.passed()).as(carolSipp.describe()).isTrue();
        }
    }

    private static Sipp.Result call(ProxyInstance proxy) {
        return Sipp.scenario("call-uac-503.xml", proxy.sipTarget()).service("alice").credentials("alice", "correct-horse")
                .key("domain", DOMAIN).key("callee", "bob").key("sdp_ip", "192.0.2.10").run();
    }
}
