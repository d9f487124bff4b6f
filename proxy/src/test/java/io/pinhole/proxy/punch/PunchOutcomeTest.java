package io.pinhole.proxy.punch;

import io.pinhole.proxy.media.LegPlan;
import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.PathPlan;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PunchOutcomeTest {

    private static final Instant ANSWERED = Instant.parse("2026-12-05T10:00:00Z");
    private static final PathPlan PUNCHED = new PathPlan(
            new LegPlan("caller", true, MediaPath.PUNCH, MediaPath.PUNCH, "eim: PUNCH"),
            new LegPlan("callee", true, MediaPath.PUNCH, MediaPath.PUNCH, "eim: PUNCH"));

    @Test
    void aPunchThatWentDirectStaysPunch() {
        PathPlan paths = PunchOutcome.paths(PUNCHED, ANSWERED.plusSeconds(1), null);

        assertThat(paths.caller().actual()).isEqualTo(MediaPath.PUNCH);
        assertThat(paths.callee().reason()).isEqualTo("eim: PUNCH; relayed first, then direct");
    }

    @Test
    void aPunchThatDidNotIsRelayedAndSaysWhy() {
        PathPlan paths = PunchOutcome.paths(PUNCHED, null, "callee answered the move 488");

        assertThat(paths.caller().planned()).isEqualTo(MediaPath.PUNCH);
        assertThat(paths.caller().actual()).isEqualTo(MediaPath.RELAY_UDP);
        assertThat(paths.reason()).isEqualTo("eim: PUNCH; punch not carried out (callee answered the move 488): relayed");
        assertThat(PunchOutcome.paths(PUNCHED, null, null).reason()).contains("(not attempted)");
    }

    @Test
    void otherPathsAreLeftAlone() {
        PathPlan relayed = new PathPlan(new LegPlan("caller", true, MediaPath.RELAY_UDP, MediaPath.RELAY_UDP, "r"), null);

        assertThat(PunchOutcome.paths(relayed, null, "x")).isEqualTo(relayed);
        assertThat(PunchOutcome.paths(null, null, null)).isNull();
    }

    @Test
    void theDirectShareIsTheTimeOnTheDirectPath() {
        Instant ended = ANSWERED.plusSeconds(10);

        assertThat(PunchOutcome.directShare(ANSWERED, ended, true, ANSWERED.plusSeconds(2), null)).isEqualTo(0.8);
        assertThat(PunchOutcome.directShare(ANSWERED, ended, true, ANSWERED.plusSeconds(2), ANSWERED.plusSeconds(7)))
                .isEqualTo(0.5);
        assertThat(PunchOutcome.directShare(ANSWERED, ended, true, null, null)).isZero();
        assertThat(PunchOutcome.directShare(ANSWERED, ended, false, null, null)).isEqualTo(1.0);
        assertThat(PunchOutcome.directShare(null, ended, true, null, null)).isNull();
        assertThat(PunchOutcome.directShare(ANSWERED, ANSWERED, true, ANSWERED, null)).isEqualTo(1.0);
    }
}
