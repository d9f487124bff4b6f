package io.pinhole.proxy.session;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * Session timers (RFC 4028), {@code pinhole.calls.*}. A record of its own beside
 * {@code CallProperties}: the same prefix, read by the session-timer classes only. A plain number
 * means seconds, as in the headers.
 *
 * @param sessionExpires the Session-Expires put into an INVITE that has none, and the most the
 *                       proxy grants (a larger one is lowered, never below the request's Min-SE);
 *                       0 switches session timers off (no 422, nothing added, nothing enforced)
 * @param minSe          the smallest interval accepted: a caller that supports timers and asks for
 *                       less gets 422 with this Min-SE; RFC 4028 §5 forbids less than 90 s
 * @param minSeFloor     the lowest {@code min-se} this start accepts; 90 s as the RFC says, lower
 *                       only for tests that cannot wait minutes for a session to expire
 */
@ConfigurationProperties("pinhole.calls")
public record SessionTimerProperties(
        @DefaultValue("1800s") @DurationUnit(ChronoUnit.SECONDS) Duration sessionExpires,
        @DefaultValue("90s") @DurationUnit(ChronoUnit.SECONDS) Duration minSe,
        @DefaultValue("90s") @DurationUnit(ChronoUnit.SECONDS) Duration minSeFloor) {

    private static final String PREFIX = "pinhole.calls.";
    /** Session-Expires is a 32-bit delta-seconds on the wire; a day is far more than any use. */
    private static final long MAX_SECONDS = 86_400;

    public SessionTimerProperties {
        seconds("min-se-floor", minSeFloor, false);
        if (minSeFloor.getSeconds() > 90) {
            throw new IllegalArgumentException(PREFIX + "min-se-floor can only lower RFC 4028's 90 s (for tests),"
                    + " at most 90s, was " + minSeFloor);
        }
        seconds("min-se", minSe, false);
        if (minSe.compareTo(minSeFloor) < 0) {
            throw new IllegalArgumentException(PREFIX + "min-se must be at least " + minSeFloor.getSeconds()
                    + "s (RFC 4028 §5: 90 s; pinhole.calls.min-se-floor lowers it for tests), was " + minSe);
        }
        seconds("session-expires", sessionExpires, true);
        if (!sessionExpires.isZero() && sessionExpires.compareTo(minSe) < 0) {
            throw new IllegalArgumentException(PREFIX + "session-expires must be 0 (off) or at least min-se ("
                    + minSe.getSeconds() + "s), was " + sessionExpires);
        }
    }

    private static void seconds(String property, Duration value, boolean zeroAllowed) {
        if (value == null) {
            throw new IllegalArgumentException(PREFIX + property + " must be set");
        }
        if (value.isNegative() || !zeroAllowed && value.isZero()) {
            throw new IllegalArgumentException(PREFIX + property + " must be " + (zeroAllowed ? "0 or " : "")
                    + "positive, was " + value);
        }
        if (value.getNano() != 0) {
            throw new IllegalArgumentException(PREFIX + property + " must be whole seconds (SIP delta-seconds), was "
                    + value);
        }
        if (value.getSeconds() > MAX_SECONDS) {
            throw new IllegalArgumentException(PREFIX + property + " must be at most " + MAX_SECONDS + "s, was "
                    + value);
        }
    }

    public boolean enabled() {
        return !sessionExpires.isZero();
    }
}
