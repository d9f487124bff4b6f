package io.pinhole.proxy.punch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PunchJudgeTest {

    private static RelayObservation.Stream stream(boolean latched, long packets) {
        return new RelayObservation.Stream(latched ? "203.0.113.11" : "10.0.1.2", 40000, latched, packets, 1, 40000);
    }

    @Test
    void neverMovesAPhoneWhoseNatDidNotKeepItsMediaPort() {
        RelayObservation.Stream moved = new RelayObservation.Stream("203.0.113.11", 18674, true, 20, 1, 40000);

        assertThat(PunchJudge.ready(new RelayObservation(moved, stream(true, 5)))).isEqualTo(new PunchJudge.Never(
                "the caller's NAT did not keep its media port (SDP 40000, relay sees 18674): its mapping towards the "
                        + "other phone is not known"));
    }

    @Test
    void movesOnceBothPhonesAreLatched() {
        RelayObservation.Stream caller = stream(true, 10);
        RelayObservation.Stream callee = stream(true, 12);

        assertThat(PunchJudge.ready(new RelayObservation(caller, callee)))
                .isEqualTo(new PunchJudge.Ready(caller, callee));
    }

    @Test
    void waitsForTheSideNotLatchedYet() {
        assertThat(PunchJudge.ready(new RelayObservation(stream(true, 5), stream(false, 0))))
                .isEqualTo(new PunchJudge.NotYet("waiting for the relay to latch the callee"));
        assertThat(PunchJudge.ready(new RelayObservation(stream(false, 0), stream(true, 5))))
                .isEqualTo(new PunchJudge.NotYet("waiting for the relay to latch the caller"));
        assertThat(PunchJudge.ready(new RelayObservation(stream(true, 5), null)))
                .isInstanceOf(PunchJudge.NotYet.class);
    }

    @Test
    void neverMovesACallWithSeveralStreams() {
        RelayObservation.Stream video = new RelayObservation.Stream("203.0.113.12", 40000, true, 3, 2, 40000);

        assertThat(PunchJudge.ready(new RelayObservation(stream(true, 5), video))).isInstanceOf(PunchJudge.Never.class);
    }

    /** sinceMoved ms, baseline taken, caller and callee packets since, verdict. */
    @ParameterizedTest
    @CsvSource({
            "200,  false, 0,  0,  WAIT",       // no baseline yet: nothing judged
            "200,  false, 50, 50, WAIT",       // in flight while the phones switched
            "400,  true,  0,  0,  WAIT",       // quiet, window not over
            "400,  true,  2,  1,  WAIT",       // a stray late packet or two
            "400,  true,  10, 0,  FALL_BACK",  // the caller kept sending to the relay
            "400,  true,  0,  10, FALL_BACK",  // the callee did
            "1000, true,  0,  0,  DIRECT",     // quiet for the whole window
            "1500, true,  3,  0,  FALL_BACK",  // packets beat the window's end
    })
    void judgesFromThePacketsTheRelayStillGets(long sinceMoved, boolean baseline, long caller, long callee,
                                               PunchJudge.Verdict verdict) {
        PunchJudge.Check check = PunchJudge.verify(Duration.ofMillis(sinceMoved), Duration.ofSeconds(1), baseline,
                caller, callee);

        assertThat(check.verdict()).as(check.reason()).isEqualTo(verdict);
    }

    @Test
    void namesWhoDidNotSwitch() {
        assertThat(PunchJudge.verify(Duration.ofMillis(400), Duration.ofSeconds(1), true, 25, 0).reason())
                .isEqualTo("the caller still sends to the relay after accepting the move (25/0 packets)");
        assertThat(PunchJudge.verify(Duration.ofMillis(400), Duration.ofSeconds(1), true, 25, 30).reason())
                .startsWith("both phones still send");
    }

    @Test
    void checksForHalfTheBound() {
        assertThat(PunchJudge.window(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(1));
    }
}
