package io.pinhole.proxy.media;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PathPlanTest {

    private static final LegPlan CALLER = new LegPlan("caller", true, MediaPath.RELAY_TCP, MediaPath.RELAY_UDP, "a");
    private static final LegPlan CALLEE = new LegPlan("callee", false, MediaPath.RELAY_UDP, MediaPath.RELAY_UDP, "b");

    @Test
    void namesEachLegsReasonWhenTheyDiffer() {
        assertThat(new PathPlan(CALLER, CALLEE).reason()).isEqualTo("caller: a | callee: b");
    }

    @Test
    void givesASharedReasonOnce() {
        LegPlan same = new LegPlan("callee", false, MediaPath.RELAY_UDP, MediaPath.RELAY_UDP, "a");

        assertThat(new PathPlan(CALLER, same).reason()).isEqualTo("a");
        assertThat(new PathPlan(CALLER, null).reason()).isEqualTo("a");
    }

    @Test
    void isRelayedWhenEitherLegTakesARelayOrPunch() {
        LegPlan direct = new LegPlan("callee", false, MediaPath.DIRECT, MediaPath.DIRECT, "d");
        LegPlan directCaller = new LegPlan("caller", false, MediaPath.DIRECT, MediaPath.DIRECT, "d");

        assertThat(new PathPlan(directCaller, direct).relayed()).isFalse();
        assertThat(new PathPlan(CALLER, direct).relayed()).isTrue();
        assertThat(new PathPlan(directCaller, null).relayed()).isFalse();
    }
}
