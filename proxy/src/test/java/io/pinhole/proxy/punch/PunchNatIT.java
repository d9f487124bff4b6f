package io.pinhole.proxy.punch;

import io.pinhole.proxy.support.netns.NatTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.pinhole.proxy.support.netns.NatTopology.NAT1_PUBLIC;
import static io.pinhole.proxy.support.netns.NatTopology.NAT2_PUBLIC;
import static io.pinhole.proxy.support.netns.NatTopology.PUBLIC_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's hole punching end to end: alice and bob behind two NATs that keep the phone's port
 * (endpoint-independent mapping) and drop unsolicited inbound UDP (stateful filter), probed at
 * registration, so the planner plans PUNCH. A call starts relayed and moves direct; a callee whose
 * media ignores the move brings the call back to the relay within the bound; a callee that refuses
 * the re-INVITE keeps the call relayed. Audio is checked at each phone, the relay's share in the CDR.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PunchNatIT extends PunchNatSupport {

    @BeforeAll
    void start() {
        setUp(NatTopology.Ports.KEEP, NatTopology.Ports.KEEP, 45200, 45299);
    }

    @AfterAll
    void stop() {
        tearDown();
    }

    @Test
    void aCallBetweenTwoPortKeepingNatsEndsUpDirect() throws Exception {
        Outcome o = call(40000, 40002, true, "200 OK");

        assertThat(o.aliceReinvites()).as("alice moved to bob's public address\n" + o).containsExactly(NAT2_PUBLIC + " 40002");
        assertThat(o.bobReinvites()).as("bob moved to alice's public address\n" + o).containsExactly(NAT1_PUBLIC + " 40000");
        assertTwoWayAudio(o);
        // most of what each phone heard came straight from the other's NAT, the rest (the first moments) from the relay
        assertThat(from(o.alice(), NAT2_PUBLIC + ":40002")).as("alice hears bob directly\n" + o)
                .isGreaterThanOrEqualTo(PACKETS * 3 / 4);
        assertThat(from(o.bob(), NAT1_PUBLIC + ":40000")).as("bob hears alice directly\n" + o)
                .isGreaterThanOrEqualTo(PACKETS * 3 / 4);
        // the relay counted only the first seconds' media
        long relayed = ((Number) o.cdr().get("packets")).longValue();
        assertThat(relayed).as("packets the relay carried, of " + 2 * PACKETS + " sent\n" + o)
                .isPositive().isLessThan(2L * PACKETS / 4);
        assertThat(o.cdr()).as(o.toString()).containsEntry("caller_path_planned", "PUNCH").containsEntry("caller_path", "PUNCH")
                .containsEntry("callee_path", "PUNCH");
        assertThat(((Number) o.cdr().get("direct_share")).doubleValue()).as(o.toString()).isGreaterThan(0.6);
    }

    @Test
    void aCalleeWhoseMediaDoesNotMoveBringsTheCallBackToTheRelayWithinTheBound() throws Exception {
        Outcome o = call(40010, 40012, false, "200 OK");

        assertThat(o.aliceReinvites()).as("alice moved direct, then back to the relay\n" + o).hasSize(2);
        assertThat(o.aliceReinvites().get(0)).isEqualTo(NAT2_PUBLIC + " 40012");
        assertThat(o.aliceReinvites().get(1)).startsWith(PUBLIC_ADDRESS + " ");
        assertThat(o.bobReinvites()).as(o.toString()).hasSize(2);
        assertTwoWayAudio(o);
        assertThat(o.cdr()).as(o.toString()).containsEntry("caller_path_planned", "PUNCH").containsEntry("caller_path", "RELAY_UDP");
        assertThat((String) o.cdr().get("path_reason")).as(o.toString()).contains("fell back: the callee still sends to the relay");
        assertThat(((Number) o.cdr().get("direct_share")).doubleValue()).isZero();
    }

    @Test
    void aCalleeThatRefusesTheReInviteStaysRelayed() throws Exception {
        Outcome o = call(40020, 40022, false, "488 Not Acceptable Here");

        assertThat(o.aliceReinvites()).as("alice moved direct, then back when bob refused\n" + o).hasSize(2);
        assertThat(o.aliceReinvites().get(1)).startsWith(PUBLIC_ADDRESS + " ");
        assertThat(o.bobReinvites()).as(o.toString()).hasSize(1);
        assertTwoWayAudio(o);
        assertThat(o.cdr()).as(o.toString()).containsEntry("caller_path", "RELAY_UDP").containsEntry("callee_path", "RELAY_UDP");
        assertThat((String) o.cdr().get("path_reason")).as(o.toString()).contains("callee answered the move 488");
    }
}
