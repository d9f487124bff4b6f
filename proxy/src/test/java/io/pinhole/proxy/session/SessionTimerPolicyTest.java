package io.pinhole.proxy.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 4028 as the B2BUA applies it, with session-expires 1800 s and min-se 90 s, at a fixed time. */
class SessionTimerPolicyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    private final MovableClock clock = new MovableClock(T0);
    private final SessionTimerPolicy policy = policy(1800, 90);

    private SessionTimerPolicy policy(int sessionExpires, int minSe) {
        return new SessionTimerPolicy(new SessionTimerProperties(Duration.ofSeconds(sessionExpires),
                Duration.ofSeconds(minSe), Duration.ofSeconds(90)), clock);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case                                        | Supported | Session-Expires   | Min-SE | verdict
            "timer, no interval: ours is offered            | timer     | -                 | -      | forward 1800 (callee picks), Min-SE 90",
            "timer, 90 uac: as asked                        | timer     | 90;refresher=uac  | -      | forward 90;refresher=uac, Min-SE 90",
            "timer, 60 s is below our Min-SE: 422           | timer     | 60;refresher=uac  | -      | 422 Min-SE 90",
            "timer, 89 s: 422                               | timer     | 89                | -      | 422 Min-SE 90",
            "timer, 3600 uas is lowered to ours             | timer     | 3600;refresher=uas| -      | forward 1800;refresher=uas, Min-SE 90",
            "timer, own Min-SE 300 goes on                  | timer     | 600;refresher=uac | 300    | forward 600;refresher=uac, Min-SE 300",
            "timer, Min-SE above ours raises the interval   | timer     | -                 | 2000   | forward 2000 (callee picks), Min-SE 2000",
            "no timer support: the callee must refresh      | -         | -                 | -      | forward 1800;refresher=uas, Min-SE 90",
            "no timer support but 60 s: raised, no 422      | -         | 60                | -      | forward 90;refresher=uas, Min-SE 90",
            "no timer support, 3600 s: lowered              | -         | 3600;refresher=uac| -      | forward 1800;refresher=uas, Min-SE 90",
    })
    void decidesTheInvite(String name, String supported, String sessionExpires, String minSe, String expected) {
        assertThat(describe(policy.onInvite(request(supported, sessionExpires, minSe)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case                                          | Supported | INVITE's S-E      | callee's 2xx S-E  | caller's 2xx                        | hang up after
            "caller refreshes, callee agrees                  | timer     | 90;refresher=uac  | 90;refresher=uac  | 90;refresher=uac + Require: timer   | PT1M",
            "callee chooses to refresh                        | timer     | -                 | 1800;refresher=uas| 1800;refresher=uas                  | PT29M28S",
            "callee lowers the interval                       | timer     | 1800;refresher=uac| 900;refresher=uac | 900;refresher=uac + Require: timer  | PT14M28S",
            "callee without timers: the caller refreshes      | timer     | 90;refresher=uac  | -                 | 90;refresher=uac + Require: timer   | PT1M",
            "callee without timers overrides a uas wish       | timer     | 120;refresher=uas | -                 | 120;refresher=uac + Require: timer  | PT1M28S",
            "neither offers an interval, callee has no timers | timer     | -                 | -                 | 1800;refresher=uac + Require: timer | PT29M28S",
            "callee omits refresher: what we asked for        | timer     | 600;refresher=uas | 600               | 600;refresher=uas                   | PT9M28S",
            "caller without timers, callee refreshes          | -         | -                 | 1800;refresher=uas| none                                | PT29M28S",
            "nobody supports timers: nothing enforced         | -         | -                 | -                 | none                                | never",
            "refused INVITE has no answer                     | timer     | 60                | -                 | none                                | never",
    })
    void decidesTheAnswer(String name, String supported, String sessionExpires, String fromCallee, String toCaller,
                          String hangUpAfter) {
        AnswerVerdict verdict = policy.onAnswer(request(supported, sessionExpires, "-"), sessionExpires(fromCallee));

        String answer = verdict.toCaller() == null ? "none"
                : verdict.toCaller().wire() + (verdict.requireTimer() ? " + Require: timer" : "");
        assertThat(answer).isEqualTo(toCaller);
        assertThat(verdict.timer() == null ? "never" : Duration.between(T0, verdict.timer().byeAt()).toString())
                .isEqualTo(hangUpAfter);
    }

    @Test
    void switchedOffDecidesNothing() {
        SessionTimerPolicy off = new SessionTimerPolicy(new SessionTimerProperties(Duration.ZERO, Duration.ofSeconds(90),
                Duration.ofSeconds(90)), clock);

        assertThat(off.enabled()).isFalse();
        assertThat(off.onInvite(request("timer", "60", "-"))).isInstanceOf(InviteVerdict.Off.class);
        assertThat(off.onAnswer(request("timer", "90;refresher=uac", "-"), sessionExpires("90;refresher=uac")))
                .isEqualTo(AnswerVerdict.NONE);
    }

    @Test
    void hangsUpAThirdBeforeExpiryForShortIntervalsAnd32SecondsForLongOnes() {
        assertThat(SessionTimerPolicy.byeAfter(10)).isEqualTo(Duration.ofMillis(6667));
        assertThat(SessionTimerPolicy.byeAfter(90)).isEqualTo(Duration.ofSeconds(60));
        assertThat(SessionTimerPolicy.byeAfter(96)).isEqualTo(Duration.ofSeconds(64));
        assertThat(SessionTimerPolicy.byeAfter(1800)).isEqualTo(Duration.ofSeconds(1768));
    }

    @Test
    void expiresOnlyWhenItsTimeHasCome() {
        SessionTimer timer = policy.onAnswer(request("timer", "90;refresher=uac", "-"), null).timer();

        clock.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(policy.expired(timer)).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(policy.expired(timer)).isTrue();
    }

    @Test
    void aRefreshStartsTheIntervalAgainWithTheValueItAgreed() {
        SessionTimer first = policy.onAnswer(request("timer", "90;refresher=uac", "-"), null).timer();
        clock.advance(Duration.ofSeconds(45));

        SessionTimer same = policy.onRefresh(first, null, null);
        SessionTimer asked = policy.onRefresh(first, sessionExpires("120;refresher=uac"), null);
        SessionTimer answered = policy.onRefresh(first, sessionExpires("120;refresher=uac"), sessionExpires("100;refresher=uac"));

        assertThat(same).isEqualTo(new SessionTimer(90, T0.plusSeconds(45 + 60)));
        assertThat(asked).isEqualTo(new SessionTimer(120, T0.plusSeconds(45 + 88)));
        assertThat(answered.seconds()).isEqualTo(100);
        clock.advance(Duration.ofSeconds(59));
        assertThat(policy.expired(first)).as("the old deadline has passed").isTrue();
        assertThat(policy.expired(same)).as("but the refreshed one has not").isFalse();
    }

    private static TimerRequest request(String supported, String sessionExpires, String minSe) {
        return new TimerRequest("timer".equals(supported), sessionExpires(sessionExpires),
                "-".equals(minSe) ? null : Integer.valueOf(minSe));
    }

    private static SessionExpires sessionExpires(String value) {
        if ("-".equals(value)) {
            return null;
        }
        String[] parts = value.split(";refresher=");
        return new SessionExpires(Integer.parseInt(parts[0]), parts.length > 1 ? Refresher.of(parts[1]) : null);
    }

    private static String describe(InviteVerdict verdict) {
        if (verdict instanceof InviteVerdict.TooSmall tooSmall) {
            return "422 Min-SE " + tooSmall.minSe();
        }
        if (verdict instanceof InviteVerdict.Forward forward) {
            String se = forward.towardsCallee().refresher() == null
                    ? forward.towardsCallee().seconds() + " (callee picks)" : forward.towardsCallee().wire();
            return "forward " + se + ", Min-SE " + forward.minSe();
        }
        return "off";
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
