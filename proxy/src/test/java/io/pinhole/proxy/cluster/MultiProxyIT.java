package io.pinhole.proxy.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two proxies (A and B, two Spring contexts) on one real PostgreSQL, a relay process and SIPp
 * phones: alice registers at A from a phone whose Via carries no rport, bob at B. Each proxy learns
 * the other's bindings by LISTEN/NOTIFY within a second, and a call for a phone registered at the
 * other proxy goes out through that proxy, which alone holds the phone's flow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiProxyIT {

    private static final String DOMAIN = "multi.example";
    private static final String PASSWORD = "correct-horse";
    private static final String ALICE = "alice@" + DOMAIN;
    private static final String BOB = "bob@" + DOMAIN;

    private RelayProcess relay;
    private ProxyInstance a;
    private ProxyInstance b;
    private String addressA;
    private String addressB;
    private final int alicePort = FreePorts.udpAndTcp();
    private final int bobPort = FreePorts.udpAndTcp();

    @BeforeAll
    void start() {
        relay = RelayProcess.start(52000, 52099);
        int portA = FreePorts.udpAndTcp();
        int portB = FreePorts.udpAndTcp();
        addressA = "sip:127.0.0.1:" + portA;
        addressB = "sip:127.0.0.1:" + portB;
        a = ProxyInstance.start(settings(portA, addressA, addressB, null));
        for (String user : List.of("alice", "bob", "carol")) {
            a.addUser(DOMAIN, user, PASSWORD);
        }
        b = ProxyInstance.start(settings(portB, addressB, addressA, a.databaseUrl())); // reads the users at start
    }

    private Map<String, Object> settings(int port, String self, String peer, String databaseUrl) {
        Map<String, Object> settings = new HashMap<>(Map.of("pinhole.sip.port", port, "pinhole.cluster.address", self,
                "pinhole.cluster.peers", peer, "pinhole.media.default-relay", relay.control(),
                // no OPTIONS to the SIPp phones, which would take them for an unexpected message
                "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false,
                "pinhole.registrar.min-expires", 1));
        if (databaseUrl != null) {
            settings.put("spring.datasource.url", databaseUrl);
        }
        return settings;
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {b, a, relay}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
        }
    }

    @Test
    @Order(1)
    void registrationAtOneProxyIsRoutableAtTheOtherWithinASecond() {
        Sipp.Running registering = Sipp.scenario("register-no-rport.xml", a.sipTarget()).localPort(alicePort)
                .service("alice").credentials("alice", PASSWORD).key("domain", DOMAIN).key("expires", 600).start();
        long[] seen = firstSeen(ALICE, live -> live.stream().anyMatch(binding -> binding.owner() == null),
                live -> live.stream().anyMatch(binding -> addressA.equals(binding.owner())));
        Sipp.Result registered = registering.await();

        assertThat(registered.passed()).as(registered.describe()).isTrue();
        long millis = (seen[1] - seen[0]) / 1_000_000;
        System.out.println("MultiProxyIT: B routes to alice " + millis + " ms after A accepted her REGISTER");
        assertThat(millis).isLessThan(1000);
        assertThat(b.bean(BindingCache.class).lookup(ALICE, Instant.now())).singleElement()
                .satisfies(binding -> assertThat(binding.flow().port()).isEqualTo(alicePort));

        Sipp.Result bobRegistered = Sipp.scenario("register.xml", b.sipTarget()).localPort(bobPort).service("bob")
                .credentials("bob", PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(bobRegistered.passed()).as(bobRegistered.describe()).isTrue();
        eventually(Duration.ofSeconds(1), () -> !a.bean(BindingCache.class).lookup(BOB, Instant.now()).isEmpty(),
                "A knows bob");
    }

    @Test
    @Order(2)
    void callFromBobAtBReachesAliceThroughA() {
        double forwardedBefore = forwards(b, "forwarded");
        Sipp.Running alice = Sipp.scenario("call-uas.xml", a.sipTarget()).localPort(alicePort).start();

        Sipp.Result bob = Sipp.scenario("call-uac.xml", b.sipTarget()).service("bob").credentials("bob", PASSWORD)
                .key("domain", DOMAIN).key("callee", "alice").key("sdp_ip", "10.77.0.2").run();
        Sipp.Result aliceResult = alice.await();

        assertThat(bob.passed()).as(bob.describe()).isTrue();
        assertThat(aliceResult.passed()).as(aliceResult.describe()).isTrue();
        assertThat(forwards(b, "forwarded") - forwardedBefore).isEqualTo(1);
        assertThat(forwards(a, "received")).isGreaterThanOrEqualTo(1);
        // alice's INVITE came from A (the proxy holding her flow), not from B
        assertThat(aliceResult.messages()).contains("Via: SIP/2.0/UDP 127.0.0.1:" + a.sipPort());
    }

    @Test
    @Order(3)
    void callFromAliceWithoutRportAtAReachesBobThroughB() {
        double forwardedBefore = forwards(a, "forwarded");
        Sipp.Running bob = Sipp.scenario("call-uas.xml", b.sipTarget()).localPort(bobPort).start();

        Sipp.Result alice = Sipp.scenario("call-uac-no-rport.xml", a.sipTarget()).localPort(alicePort).service("alice")
                .credentials("alice", PASSWORD).key("domain", DOMAIN).key("callee", "bob").key("sdp_ip", "10.77.0.3")
                .run();
        Sipp.Result bobResult = bob.await();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(bobResult.passed()).as(bobResult.describe()).isTrue();
        assertThat(forwards(a, "forwarded") - forwardedBefore).isEqualTo(1);
        assertThat(bobResult.messages()).contains("Via: SIP/2.0/UDP 127.0.0.1:" + b.sipPort());
    }

    @Test
    @Order(4)
    void expiryAndDeregistrationAreSeenByTheOtherProxyAsFast() {
        Sipp.Result carol = Sipp.scenario("register.xml", a.sipTarget()).service("carol").credentials("carol", PASSWORD)
                .key("domain", DOMAIN).key("expires", 2).run();
        assertThat(carol.passed()).as(carol.describe()).isTrue();
        eventually(Duration.ofSeconds(1), () -> !b.bean(BindingCache.class).lookup("carol@" + DOMAIN, Instant.now())
                .isEmpty(), "B knows carol");
        long[] expired = firstSeen("carol@" + DOMAIN, List::isEmpty, List::isEmpty);
        System.out.println("MultiProxyIT: carol's expiry seen by B " + (expired[1] - expired[0]) / 1_000_000
                + " ms after A");
        assertThat((expired[1] - expired[0]) / 1_000_000).isLessThan(1000);

        Sipp.Running unregistering = Sipp.scenario("unregister-all.xml", a.sipTarget()).localPort(alicePort)
                .service("alice").credentials("alice", PASSWORD).key("domain", DOMAIN).start();
        long[] removed = firstSeen(ALICE, List::isEmpty, List::isEmpty);
        Sipp.Result unregistered = unregistering.await();
        assertThat(unregistered.passed()).as(unregistered.describe()).isTrue();
        long millis = (removed[1] - removed[0]) / 1_000_000;
        System.out.println("MultiProxyIT: alice's de-registration seen by B " + millis + " ms after A");
        assertThat(millis).isLessThan(1000);
    }

    @Test
    @Order(5)
    void lostListeningConnectionIsReopenedAndEverythingReloadedOnce() {
        JdbcTemplate sql = a.bean(JdbcTemplate.class);
        assertThat(b.bean(BindingCache.class).lookup(BOB, Instant.now())).isNotEmpty();
        Sipp.Result carol = Sipp.scenario("register.xml", a.sipTarget()).service("carol").credentials("carol", PASSWORD)
                .key("domain", DOMAIN).key("expires", 600).run();
        assertThat(carol.passed()).as(carol.describe()).isTrue();
        eventually(Duration.ofSeconds(1), () -> !b.bean(BindingCache.class).lookup("carol@" + DOMAIN, Instant.now())
                .isEmpty(), "B knows carol");
        double reconnects = meters(b).get("pinhole.cluster.notify.reconnects").functionCounter().count();

        // B's LISTEN connection dies, and while B is deaf carol's row goes (by hand): no notification reaches B
        sql.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
                BindingListener.APPLICATION_NAME + " " + addressB);
        sql.update("DELETE FROM registrations WHERE user_id = (SELECT id FROM users WHERE username = 'carol')");

        eventually(Duration.ofSeconds(3), () -> b.bean(BindingCache.class).lookup("carol@" + DOMAIN, Instant.now())
                .isEmpty(), "B reloaded after reconnecting");
        assertThat(meters(b).get("pinhole.cluster.notify.reconnects").functionCounter().count() - reconnects)
                .isEqualTo(1);
        assertThat(b.bean(BindingCache.class).lookup(BOB, Instant.now())).as("B's own binding kept").isNotEmpty();
    }

    @Test
    @Order(6)
    void calleeRegisteredThroughAProxyThatIsNoPeerGets480() {
        // as if a proxy outside pinhole.cluster.peers (or one renamed since) had registered carol
        a.bean(JdbcTemplate.class).update("""
                INSERT INTO registrations (user_id, binding_key, contact_uri, call_id, cseq, expires_seconds, expires_at,
                                           source_address, source_port, transport, owner)
                SELECT id, 'sip:carol@192.0.2.7', 'sip:carol@192.0.2.7', 'elsewhere', 1, 600, now() + interval '600 s',
                       '192.0.2.7', 5060, 'UDP', 'sip:192.0.2.99:5060' FROM users WHERE username = 'carol'""");
        eventually(Duration.ofSeconds(1), () -> !b.bean(BindingCache.class).lookup("carol@" + DOMAIN, Instant.now())
                .isEmpty(), "B knows carol's binding");
        double unreachable = forwards(b, "unreachable");

        Sipp.Result bob = Sipp.scenario("call-uac-480.xml", b.sipTarget()).service("bob").credentials("bob", PASSWORD)
                .key("domain", DOMAIN).key("callee", "carol").key("sdp_ip", "127.0.0.1").run();

        assertThat(bob.passed()).as(bob.describe()).isTrue();
        assertThat(forwards(b, "unreachable") - unreachable).isEqualTo(1);
    }

    /** Nanosecond times at which A's, then B's, bindings of {@code aor} first satisfied the conditions. */
    private long[] firstSeen(String aor, Predicate<List<Binding>> atA, Predicate<List<Binding>> atB) {
        BindingCache cacheA = a.bean(BindingCache.class);
        BindingCache cacheB = b.bean(BindingCache.class);
        long[] seen = {0, 0};
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((seen[0] == 0 || seen[1] == 0) && System.nanoTime() < deadline) {
            long now = System.nanoTime();
            if (seen[0] == 0 && atA.test(cacheA.lookup(aor, Instant.now()))) {
                seen[0] = now;
            }
            if (seen[1] == 0 && atB.test(cacheB.lookup(aor, Instant.now()))) {
                seen[1] = now;
            }
            LockSupport.parkNanos(200_000);
        }
        assertThat(seen).as("both proxies saw the change of " + aor).doesNotContain(0L);
        return seen;
    }

    private static MeterRegistry meters(ProxyInstance proxy) {
        return proxy.bean(MeterRegistry.class);
    }

    private static double forwards(ProxyInstance proxy, String outcome) {
        return meters(proxy).get("pinhole.cluster.forwards").tag("outcome", outcome).counter().count();
    }
}
