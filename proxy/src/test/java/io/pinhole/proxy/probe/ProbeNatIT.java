package io.pinhole.proxy.probe;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.netns.NatTopology;
import io.pinhole.proxy.support.netns.NsSipp;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static io.pinhole.testsupport.Eventually.eventually;
import static io.pinhole.proxy.support.netns.NatTopology.ALICE_ADDRESS;
import static io.pinhole.proxy.support.netns.NatTopology.BOB_ADDRESS;
import static io.pinhole.proxy.support.netns.NatTopology.PUBLIC_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The registration probe against real NATs (network namespaces, see {@link NatTopology}): alice's
 * NAT keeps the phone's port (plain MASQUERADE, endpoint-independent mapping), bob's picks a
 * random one; both filter statefully (address-and-port-dependent filtering). Each phone is a SIPp
 * that answers OPTIONS, as phones do. The probe must classify each NAT as the table says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(NatTopology.LOCK)
class ProbeNatIT {

    private static final String DOMAIN = "probe-nat.example";
    private static final String PASSWORD = "correct-horse";
    private final ObjectMapper json = new ObjectMapper();
    private static final int STUN_PORT = 23478; // not the well-known 3478: another relay on this host may hold it
    private NatTopology net;
    private ProxyInstance proxy;
    private io.pinhole.proxy.support.RelayProcess relay;

    @BeforeAll
    void start() {
        String missing = NatTopology.missingPrerequisite();
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("the NAT probe test cannot run in CI: " + missing);
            }
            Assumptions.abort("NAT probe test skipped: " + missing);
        }
        net = NatTopology.create(NatTopology.Ports.KEEP, NatTopology.Ports.RANDOM);
        relay = io.pinhole.proxy.support.RelayProcess.startWithStun(45100, 45199, PUBLIC_ADDRESS, STUN_PORT);
        proxy = ProxyInstance.start(Map.of("pinhole.sip.bind-address", PUBLIC_ADDRESS,
                "pinhole.sip.advertised-address", PUBLIC_ADDRESS, "pinhole.media.default-relay", relay.control(),
                "pinhole.keepalive.enabled", false, "pinhole.probe.delay", "1500ms", "pinhole.probe.timeout", "2s"));
    }

    @AfterAll
    void stop() {
        try {
            if (proxy != null) {
                proxy.close();
            }
            if (relay != null) {
                relay.close();
            }
        } finally {
            if (net != null) {
                net.close();
            }
        }
    }

    /** Registers from port 5060 of the phone's namespace, then answers OPTIONS there while the probe runs. */
    private JsonNode registerAndProbe(String namespace, String address, String user) {
        proxy.addUser(DOMAIN, user, PASSWORD);
        String target = PUBLIC_ADDRESS + ":" + proxy.sipPort();
        Sipp.Result registered = NsSipp.scenario("/sipp/register.xml", target).in(namespace, address).localPort(5060)
                .service(user).credentials(user, PASSWORD).key("domain", DOMAIN).key("expires", 600)
                .run(Duration.ofSeconds(20));
        assertThat(registered.passed()).as(user + " registers\n" + registered.describe()).isTrue();
        NsSipp.Running phone = NsSipp.scenario("/nat/phone-answering-options.xml", target).in(namespace, address)
                .localPort(5060).arg("-m", "1000", "-timeout", "20s").start();
        try {
            eventually(Duration.ofSeconds(10), () -> registration(user).path("capabilities").hasNonNull("probedAt"),
                    user + " probed");
            return registration(user);
        } finally {
            phone.kill();
        }
    }

    private JsonNode registration(String user) {
        var response = proxy.admin("GET", "/api/registrations?domain=" + DOMAIN + "&user=" + user, null);
        try {
            JsonNode list = json.readTree(response.body());
            assertThat(list.size()).as(response.body()).isEqualTo(1);
            return list.get(0);
        } catch (IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    @Test
    void aPortKeepingNatIsEndpointIndependentAndItsFilterPortDependent() {
        JsonNode alice = registerAndProbe(net.alice(), ALICE_ADDRESS, "alice");

        assertThat(alice.get("sourcePort").asInt()).as("nat1 kept port 5060").isEqualTo(5060);
        JsonNode found = alice.get("capabilities");
        assertThat(found.get("mapping").asText()).as(found.toString()).isEqualTo("ENDPOINT_INDEPENDENT");
        assertThat(found.get("filtering").asText()).as(found.toString()).isEqualTo("ADDRESS_AND_PORT_DEPENDENT");
        assertThat(found.get("sendsUdp").asBoolean()).isTrue();
    }

    @Test
    void aPortRandomisingNatIsUnknownMappingAndItsFilterPortDependent() {
        JsonNode bob = registerAndProbe(net.bob(), BOB_ADDRESS, "bob");

        assertThat(bob.get("sourcePort").asInt()).as("nat2 picked its own port").isNotEqualTo(5060);
        JsonNode found = bob.get("capabilities");
        assertThat(found.get("mapping").asText()).as(found.toString()).isEqualTo("UNKNOWN");
        assertThat(found.get("filtering").asText()).as(found.toString()).isEqualTo("ADDRESS_AND_PORT_DEPENDENT");
    }

    /**
     * A STUN client in each phone's namespace (Debian's {@code stun}) asks the relay's STUN
     * server and sees its NAT's public mapping: nat1 keeps the client's port, nat2 does not.
     */
    @Test
    void aStunClientBehindEachNatSeesItsPublicMapping() {
        if (io.pinhole.proxy.support.netns.Shell.missing("stun")) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("the STUN client is not installed (Debian package stun-client)");
            }
            Assumptions.abort("stun (Debian stun-client) is not installed");
        }
        String server = PUBLIC_ADDRESS + ":" + STUN_PORT;
        String alice = net.outputIn(net.alice(), "timeout", "20", "stun", server, "-v", "-p", "5070");
        String bob = net.outputIn(net.bob(), "timeout", "20", "stun", server, "-v", "-p", "5070");

        assertThat(alice).as("alice's client sees nat1's address and its own port, kept\n" + alice)
                .contains("MappedAddress = " + io.pinhole.proxy.support.netns.NatTopology.NAT1_PUBLIC + ":5070");
        assertThat(bob).as("bob's client sees nat2's address\n" + bob)
                .contains("MappedAddress = " + io.pinhole.proxy.support.netns.NatTopology.NAT2_PUBLIC + ":")
                .doesNotContain("MappedAddress = " + io.pinhole.proxy.support.netns.NatTopology.NAT2_PUBLIC + ":5070");
    }

    /**
     * The probes feed the path planner: a call to bob (his NAT changes ports: mapping not known)
     * is relayed for that reason; a call between two phones behind port-keeping nat1 (both
     * endpoint-independent, UDP both ways) is planned for punching, but these phones send no media,
     * so the relay never latches them and the call stays relayed; each CDR says so.
     */
    @Test
    void theCdrShowsThePathPlannedFromTheProbes() {
        String target = PUBLIC_ADDRESS + ":" + proxy.sipPort();
        NsSipp.Running bob = registerAndAnswer(net.bob(), BOB_ADDRESS, 5060, "bob-call");
        NsSipp.Running carol = registerAndAnswer(net.alice(), ALICE_ADDRESS, 5064, "carol-call");
        NsSipp.Running aliceProbed = registerAndAnswer(net.alice(), ALICE_ADDRESS, 5060, "alice-call");
        aliceProbed.kill(); // alice calls from the same port, as the same flow
        try {
            for (String callee : java.util.List.of("bob-call", "carol-call")) {
                Sipp.Result call = NsSipp.scenario("/sipp/call-uac.xml", target).in(net.alice(), ALICE_ADDRESS)
                        .localPort(5060).service("alice-call").credentials("alice-call", PASSWORD).key("domain", DOMAIN)
                        .key("callee", callee).key("sdp_ip", ALICE_ADDRESS).run(Duration.ofSeconds(30));
                assertThat(call.passed()).as("alice calls " + callee + "\n" + call.describe()).isTrue();
            }
        } finally {
            bob.kill();
            carol.kill();
        }
        var jdbc = proxy.bean(org.springframework.jdbc.core.JdbcTemplate.class);
        eventually(Duration.ofSeconds(5), () -> jdbc.queryForObject("SELECT count(*) FROM calls WHERE caller = ?",
                Integer.class, "alice-call@" + DOMAIN) == 2, "both CDRs written");
        Map<String, Object> toBob = jdbc.queryForMap("SELECT * FROM calls WHERE callee = ?", "bob-call@" + DOMAIN);
        Map<String, Object> toCarol = jdbc.queryForMap("SELECT * FROM calls WHERE callee = ?", "carol-call@" + DOMAIN);

        assertThat(toBob).as(toBob.toString()).containsEntry("caller_path", "RELAY_UDP").containsEntry("callee_path", "RELAY_UDP");
        assertThat((String) toBob.get("path_reason")).as(toBob.toString()).contains("mapping not known");
        assertThat(toCarol).as(toCarol.toString()).containsEntry("caller_path_planned", "PUNCH")
                .containsEntry("callee_path_planned", "PUNCH").containsEntry("caller_path", "RELAY_UDP");
        assertThat((String) toCarol.get("path_reason")).as(toCarol.toString())
                .contains("endpoint-independent mapping").contains("punch not carried out");
    }

    /** Registers from {@code port} and leaves a phone there that answers OPTIONS and takes one call; returns once probed. */
    private NsSipp.Running registerAndAnswer(String namespace, String address, int port, String user) {
        proxy.addUser(DOMAIN, user, PASSWORD);
        String target = PUBLIC_ADDRESS + ":" + proxy.sipPort();
        Sipp.Result registered = NsSipp.scenario("/sipp/register.xml", target).in(namespace, address).localPort(port)
                .service(user).credentials(user, PASSWORD).key("domain", DOMAIN).key("expires", 600)
                .run(Duration.ofSeconds(20));
        assertThat(registered.passed()).as(user + " registers\n" + registered.describe()).isTrue();
        NsSipp.Running phone = NsSipp.scenario("/nat/phone-answering-options.xml", target).in(namespace, address)
                .localPort(port).sippMediaPort(16200 + port - 5060).arg("-m", "1000", "-timeout", "60s").start();
        eventually(Duration.ofSeconds(10), () -> registration(user).path("capabilities").hasNonNull("probedAt"),
                user + " probed");
        return phone;
    }
}
