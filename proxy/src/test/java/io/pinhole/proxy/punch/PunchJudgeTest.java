package io.pinhole.proxy.punch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

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

    /**
     * A phone's last report (received {@code reportAfterMove} ms after the move, -1: none) about
     * {@code ssrc} with highest sequence {@code highest}, against the other phone's last packet at
     * the relay (SSRC 7, sequence {@code relaySeq}), read 1500 ms after the move.
     */
    @ParameterizedTest
    @CsvSource({
            "-1,   7, 1100,  1000,  NO_REPORT",     // no report yet, or a phone that sends no RTCP
            "100,  7, 1100,  1000,  NO_REPORT",     // a report from the first moments after the move does not count
            "800,  7, 1100,  1000,  ARRIVING",      // it got 100 packets the relay never forwarded: direct
            "800,  7, 1000,  1000,  NOT_ARRIVING",  // nothing beyond what the relay forwarded: direct media does not arrive
            "800,  7, 990,   1000,  NOT_ARRIVING",  // even less (the relay's last packets still on their way)
            "800,  9, 1100,  1000,  NOT_ARRIVING",  // it reports only another source: nothing from the other phone
            "800,  7, 65541, 65530, ARRIVING",      // across the 16-bit wrap: the extended number is one cycle up
            "800,  7, 65530, 5,     NOT_ARRIVING",  // the relay's last packet is past the wrap, the report is not
    })
    void readsArrivalFromAReceiverReport(long reportAfterMove, long ssrc, long highest, int relaySeq,
                                         PunchJudge.Arrival arrival) {
        RelayObservation.Report report = reportAfterMove < 0 ? null
                : new RelayObservation.Report(1500 - reportAfterMove, List.of(new RelayObservation.Block(ssrc, highest, 0)));

        assertThat(PunchJudge.arrival(Duration.ofMillis(1500), report, new RelayObservation.LastRtp(7, relaySeq)))
                .isEqualTo(arrival);
    }

    @Test
    void noJudgementWithoutTheOtherPhonesPacketsAtTheRelay() {
        RelayObservation.Report report = new RelayObservation.Report(0, List.of(new RelayObservation.Block(7, 10, 0)));

        assertThat(PunchJudge.arrival(Duration.ofSeconds(2), report, null)).isEqualTo(PunchJudge.Arrival.NO_REPORT);
    }

    /** sinceMoved ms, what the caller's and callee's reports say, verdict, evidence kind. */
    @ParameterizedTest
    @CsvSource({
            "1500, NO_REPORT,    NO_REPORT,    WAIT,      ''",
            "1500, ARRIVING,     NO_REPORT,    WAIT,      ''",
            "5200, ARRIVING,     ARRIVING,     DIRECT,    rtcp",
            "5200, NOT_ARRIVING, ARRIVING,     FALL_BACK, no-arrival",
            "5200, NO_REPORT,    NOT_ARRIVING, FALL_BACK, no-arrival",
            "8000, NO_REPORT,    NO_REPORT,    DIRECT,    counters",        // SIPp playing a capture: no RTCP at all
            "8000, NO_REPORT,    ARRIVING,     DIRECT,    rtcp-one-phone",
            "9000, NOT_ARRIVING, NO_REPORT,    FALL_BACK, no-arrival",      // refuted even late
    })
    void provesDirectMediaFromBothPhonesReports(long sinceMoved, PunchJudge.Arrival caller, PunchJudge.Arrival callee,
                                                PunchJudge.Verdict verdict, String kind) {
        PunchJudge.Proof proof = PunchJudge.prove(Duration.ofMillis(sinceMoved), caller, callee);

        assertThat(proof.verdict()).as(proof.evidence()).isEqualTo(verdict);
        assertThat(proof.kind()).isEqualTo(kind);
    }

    @Test
    void namesWhoHearsNothing() {
        assertThat(PunchJudge.prove(Duration.ofSeconds(5), PunchJudge.Arrival.ARRIVING, PunchJudge.Arrival.NOT_ARRIVING)
                .evidence()).isEqualTo("RTCP receiver reports: the callee hears no direct media (nothing beyond what "
                + "the relay forwarded before the move)");
        assertThat(PunchJudge.prove(Duration.ofSeconds(5), PunchJudge.Arrival.ARRIVING, PunchJudge.Arrival.ARRIVING)
                .evidence()).isEqualTo("RTCP receiver reports from both phones");
    }

    @Test
    void checksForHalfTheBound() {
        assertThat(PunchJudge.window(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(1));
    }
}
