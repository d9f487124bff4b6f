package io.pinhole.proxy.punch;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import io.pinhole.proxy.support.netns.NatTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.pinhole.proxy.support.netns.NatTopology.PUBLIC_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hole punching with one NAT that picks a new port per destination (bob's): the direct path is not
 * tried (nothing crosses the wire between the two NATs), the call stays relayed, and audio flows both
 * ways through the relay only, with no gap longer than the bound at either phone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(NatTopology.LOCK)
class PunchRandomNatIT extends PunchNatSupport {

    @BeforeAll
    void start() {
        setUp(NatTopology.Ports.KEEP, NatTopology.Ports.RANDOM, 45300, 45399);
    }

    @AfterAll
    void stop() {
        tearDown();
    }

    @Test
    void aCallThroughAPortRandomisingNatIsNeverMovedAndKeepsItsAudio() throws Exception {
        Outcome o = call(40030, 40032, true, "200 OK", true);

        assertThat(o.aliceReinvites()).as("no move\n" + o).isEmpty();
        assertThat(o.bobReinvites()).as("no move\n" + o).isEmpty();
        assertTwoWayAudio(o);
        assertThat(o.alice().get("sources").fieldNames()).as("alice hears only the relay\n" + o).toIterable()
                .allSatisfy(source -> assertThat(source).startsWith(PUBLIC_ADDRESS + ":"));
        assertThat(o.bob().get("sources").fieldNames()).as("bob hears only the relay\n" + o).toIterable()
                .allSatisfy(source -> assertThat(source).startsWith(PUBLIC_ADDRESS + ":"));
        assertThat(o.wire()).as("nothing on the wire between the two NATs\n" + o).isEqualTo(new NatTopology.Wire(0, 0));
        assertThat(o.cdr()).as(o.toString()).containsEntry("caller_path_planned", "RELAY_UDP")
                .containsEntry("caller_path", "RELAY_UDP").containsEntry("callee_path", "RELAY_UDP");
        assertThat((String) o.cdr().get("path_reason")).as(o.toString()).contains("mapping not known");
        assertThat(((Number) o.cdr().get("direct_share")).doubleValue()).isZero();
    }
}
