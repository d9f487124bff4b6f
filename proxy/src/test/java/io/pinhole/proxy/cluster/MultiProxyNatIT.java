package io.pinhole.proxy.cluster;

import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.proxy.support.netns.NatTopology;
import io.pinhole.proxy.support.netns.NsSipp;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.pinhole.testsupport.Eventually.eventually;
import static io.pinhole.proxy.support.netns.NatTopology.ALICE_ADDRESS;
import static io.pinhole.proxy.support.netns.NatTopology.BOB_ADDRESS;
import static io.pinhole.proxy.support.netns.NatTopology.NAT1_PUBLIC;
import static io.pinhole.proxy.support.netns.NatTopology.PUBLIC_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * MultiProxyIT's calls with the phones behind real NATs ({@link NatTopology}: random mapping
 * ports, a stateful filter): alice, whose Via carries no rport, registers at proxy A, bob at B,
 * both proxies on the public segment. Only A's packets get through alice's NAT (the mapping was
 * made towards A's address and port, and the filter drops anything else), so a call from bob
 * reaches her only because B sends it to A, which uses her flow.
 *
 * <p>Needs root, iproute2, iptables, python3 and sip-tester: fails in CI (env {@code CI=true})
 * without them, is skipped elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(NatTopology.LOCK)
class MultiProxyNatIT {

    private static final String DOMAIN = "natcluster.example";
    private static final String PASSWORD = "correct-horse";
    private static final int SIP_PORT = 5060;
    private static final Duration SIPP_LIMIT = Duration.ofSeconds(30);

    private NatTopology net;
    private RelayProcess relay;
    private ProxyInstance a;
    private ProxyInstance b;
    private String addressA;

    @BeforeAll
    void start() {
        String missing = NatTopology.missingPrerequisite();
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("the NAT end-to-end test cannot run in CI: " + missing);
            }
            Assumptions.abort("NAT end-to-end test skipped: " + missing);
        }
        CompletableFuture<RelayProcess> relayStarting =
                CompletableFuture.supplyAsync(() -> RelayProcess.start(52200, 52299, PUBLIC_ADDRESS));
        try {
            net = NatTopology.create();
        } finally {
            relay = relayStarting.join();
        }
        int portA = FreePorts.udpAndTcp();
        int portB = FreePorts.udpAndTcp();
        addressA = "sip:" + PUBLIC_ADDRESS + ":" + portA;
        String addressB = "sip:" + PUBLIC_ADDRESS + ":" + portB;
        a = ProxyInstance.start(settings(portA, addressA, addressB, null));
        a.addUser(DOMAIN, "alice", PASSWORD);
        a.addUser(DOMAIN, "bob", PASSWORD);
        b = ProxyInstance.start(settings(portB, addressB, addressA, a.databaseUrl()));
    }

    private Map<String, Object> settings(int port, String self, String peer, String databaseUrl) {
        Map<String, Object> settings = new HashMap<>(Map.of("pinhole.sip.port", port,
                "pinhole.sip.bind-address", PUBLIC_ADDRESS, "pinhole.sip.advertised-address", PUBLIC_ADDRESS,
                "pinhole.cluster.address", self, "pinhole.cluster.peers", peer,
                "pinhole.media.default-relay", relay.control(),
                "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false));
        if (databaseUrl != null) {
            settings.put("spring.datasource.url", databaseUrl);
        }
        return settings;
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {b, a, relay, net}) {
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
    void callsReachPhonesBehindNatThroughTheProxyHoldingTheirFlow() {
        Sipp.Result aliceRegistered = phone(a, net.alice(), ALICE_ADDRESS, "/sipp/register.xml").service("alice")
                .credentials("alice", PASSWORD).key("domain", DOMAIN).key("expires", 600).withoutRport().run(SIPP_LIMIT);
        assertThat(aliceRegistered.passed()).as(aliceRegistered.describe()).isTrue();
        Sipp.Result bobRegistered = phone(b, net.bob(), BOB_ADDRESS, "/sipp/register.xml").service("bob")
                .credentials("bob", PASSWORD).key("domain", DOMAIN).key("expires", 600).run(SIPP_LIMIT);
        assertThat(bobRegistered.passed()).as(bobRegistered.describe()).isTrue();
        eventually(Duration.ofSeconds(1), () -> b.bean(BindingCache.class).lookup("alice@" + DOMAIN, Instant.now())
                .stream().anyMatch(binding -> addressA.equals(binding.owner())), "B knows alice is at A");
        Binding alice = b.bean(BindingCache.class).lookup("alice@" + DOMAIN, Instant.now()).get(0);
        assertThat(alice.flow().address()).as("alice's flow is her NAT's mapping").isEqualTo(NAT1_PUBLIC);

        // bob → B → A → alice over her NAT mapping
        NsSipp.Running aliceAnswers = phone(a, net.alice(), ALICE_ADDRESS, "/sipp/call-uas.xml").start();
        Sipp.Result bobCalls = phone(b, net.bob(), BOB_ADDRESS, "/sipp/call-uac.xml").service("bob")
                .credentials("bob", PASSWORD).key("domain", DOMAIN).key("callee", "alice").key("sdp_ip", BOB_ADDRESS)
                .run(SIPP_LIMIT);
        Sipp.Result aliceAnswered = aliceAnswers.await(SIPP_LIMIT);
        assertThat(bobCalls.passed()).as(bobCalls.describe()).isTrue();
        assertThat(aliceAnswered.passed()).as(aliceAnswered.describe()).isTrue();

        // alice (no rport) → A → B → bob
        NsSipp.Running bobAnswers = phone(b, net.bob(), BOB_ADDRESS, "/sipp/call-uas.xml").start();
        Sipp.Result aliceCalls = phone(a, net.alice(), ALICE_ADDRESS, "/sipp/call-uac.xml").service("alice")
                .credentials("alice", PASSWORD).key("domain", DOMAIN).key("callee", "bob").key("sdp_ip", ALICE_ADDRESS)
                .withoutRport().run(SIPP_LIMIT);
        Sipp.Result bobAnswered = bobAnswers.await(SIPP_LIMIT);
        assertThat(aliceCalls.passed()).as(aliceCalls.describe()).isTrue();
        assertThat(bobAnswered.passed()).as(bobAnswered.describe()).isTrue();
        for (ProxyInstance proxy : List.of(a, b)) {
            assertThat(proxy.bean(io.micrometer.core.instrument.MeterRegistry.class).get("pinhole.cluster.forwards")
                    .tag("outcome", "forwarded").counter().count()).isEqualTo(1);
        }
    }

    private static NsSipp phone(ProxyInstance proxy, String namespace, String address, String scenario) {
        return NsSipp.scenario(scenario, PUBLIC_ADDRESS + ":" + proxy.sipPort()).in(namespace, address).localPort(SIP_PORT)
                .arg("-recv_timeout", "5000");
    }
}
