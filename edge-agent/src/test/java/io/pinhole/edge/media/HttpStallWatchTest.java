package io.pinhole.edge.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpStallWatchTest {

    private static final long MS = 1_000_000L;
    private final HttpStallWatch watch = new HttpStallWatch(HttpTimeouts.DEFAULTS);

    @Test
    void untilTheRelaysHoldIsSeenAPollMayWaitTheLongestHoldARelayAllowsPlusTheMargin() {
        watch.pollSent(0);
        assertThat(watch.overdue(35_000 * MS)).isNull();
        assertThat(watch.overdue(35_001 * MS)).isEqualTo(
                "its long poll had no answer for 35.0 s (the relay holds one at most 30.0 s)");
    }

    @Test
    void theBoundFollowsTheLongestEmptyAnswerButNotTheAnswerThatOpenedTheSession() {
        watch.pollSent(0);
        watch.pollAnswered(2 * MS, true); // the session's first answer comes at once, whatever the hold
        assertThat(watch.pollBound()).as("one answer at once says nothing of the hold").isEqualTo(35_000 * MS);
        watch.pollSent(10 * MS);
        watch.pollAnswered(110 * MS, true);
        watch.pollSent(110 * MS);
        watch.pollAnswered(130 * MS, false); // media cut the hold short: no sample
        watch.pollSent(130 * MS);
        watch.pollAnswered(210 * MS, true); // a shorter empty answer does not lower it
        assertThat(watch.pollBound()).isEqualTo(5_100 * MS);

        watch.pollSent(1_000 * MS);
        assertThat(watch.overdue(6_100 * MS)).isNull();
        assertThat(watch.overdue(6_200 * MS)).isEqualTo(
                "its long poll had no answer for 5.2 s (the relay answered the earlier ones empty within 0.1 s)");
    }

    @Test
    void aHoldLongerThanARelayMayHaveIsTakenAsTheLongestAllowed() {
        watch.pollSent(0);
        watch.pollAnswered(0, true);
        watch.pollSent(0);
        watch.pollAnswered(40_000 * MS, true); // a slow path, not a longer hold
        assertThat(watch.pollBound()).isEqualTo(35_000 * MS);
    }

    @Test
    void aPostMayGoUnansweredAFewSeconds() {
        watch.postSent(100 * MS);
        assertThat(watch.overdue(5_100 * MS)).isNull();
        assertThat(watch.overdue(5_200 * MS)).isEqualTo("a POST had no answer for 5.1 s (the relay answers one at once)");
        watch.postAnswered();
        assertThat(watch.overdue(60_000 * MS)).isNull();
    }

    @Test
    void aRequestWhoseConnectionWentIsNoLongerAwaited() {
        watch.pollSent(0);
        watch.postSent(0);
        watch.forget(true);
        assertThat(watch.overdue(36_000 * MS)).startsWith("a POST");
        watch.forget(false);
        assertThat(watch.overdue(36_000 * MS)).isNull();
    }

    @Test
    void afterARestartTheFirstAnswerTeachesNothingAgain() {
        HttpStallWatch w = new HttpStallWatch(new HttpTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        w.pollSent(0);
        w.pollAnswered(0, true);
        w.pollSent(0);
        w.pollAnswered(500 * MS, true);
        w.pollSent(0);
        w.restart();
        assertThat(w.overdue(10_000 * MS)).as("nothing outstanding after a restart").isNull();
        w.pollSent(0);
        w.pollAnswered(5 * MS, true); // a relay whose session idled out answers at once
        w.pollSent(0);
        assertThat(w.pollBound()).isEqualTo(1_500 * MS);
    }
}
