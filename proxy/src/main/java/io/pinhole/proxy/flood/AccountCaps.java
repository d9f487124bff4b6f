package io.pinhole.proxy.flood;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The toll-fraud guard: caps on the calls of one local account (user@domain, authenticated), in
 * progress at once and started within any minute. A stolen password is used for as many
 * expensive calls at once as the thief can place; these caps bound the bill.
 *
 * <p>Refused with <b>403</b> and a reason phrase naming the limit. Not 486: that says the
 * callee is busy, which phones show and carriers log as such, blaming the wrong party. Not 503:
 * a phone or trunk with a second proxy fails over to it on 503 (RFC 3263), and 503 is what this
 * proxy says when it is overloaded, which a monitor must be able to tell from a policy refusal.
 * 403 is RFC 3261's "understood, refused, do not repeat". Neither Kamailio nor Asterisk fixes an
 * answer for such limits (dialog-profile scripts answer 403, 486 or 503 alike), so the choice
 * follows the meaning.
 *
 * <p>Calls in progress are not counted up and down here: the call registry says which calls
 * are still up, so no path that ends a call (or fails to start one) can leave a count behind.
 * An account's admitted calls are kept by their registry key; those the registry no longer
 * holds are dropped at the account's next INVITE. A call just admitted counts for
 * {@link #GRACE_MILLIS} even before the registry holds it (the INVITE handler registers it on
 * the same thread, a moment later). One log line per account when it starts being refused.
 *
 * <p>Cost per INVITE, O(1) amortised (it was linear in the account's open calls and in the
 * per-minute cap, 3-6 % of the proxy's CPU with caps of 100,000): the open calls are checked
 * against the registry only when their number reaches the cap (then the decision needs the exact
 * count) or doubles since the last check (so the list stays within twice the calls really up);
 * a count below the cap is an upper bound of the calls up, so admitting on it is the same
 * decision. The start times are a queue in time order: those older than a minute leave from its
 * head, each once. Both decisions are the ones the full scan made.
 */
public final class AccountCaps {

    /** Why an INVITE is refused: the reason phrase of its 403. */
    public record Refusal(String reason) {
    }

    static final Refusal CONCURRENT = new Refusal("Forbidden (too many calls in progress for this account)");
    static final Refusal PER_MINUTE = new Refusal("Forbidden (too many new calls in the last minute for this account)");
    static final long GRACE_MILLIS = 1_000;
    private static final long MINUTE = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(AccountCaps.class);

    private final Clock clock;
    private final int maxConcurrent;
    private final int maxPerMinute;
    private final Predicate<String> live;
    private final ConcurrentHashMap<String, Tally> accounts = new ConcurrentHashMap<>();
    private final Counter concurrentRefusals;
    private final Counter perMinuteRefusals;

    /** @param live whether the call registry still holds the call with this key */
    public AccountCaps(Clock clock, int maxConcurrent, int maxPerMinute, Predicate<String> live, MeterRegistry meters) {
        this.clock = clock;
        this.maxConcurrent = maxConcurrent;
        this.maxPerMinute = maxPerMinute;
        this.live = live;
        this.concurrentRefusals = Counter.builder("pinhole.calls.rejected").tag("reason", "account-concurrent")
                .register(meters);
        this.perMinuteRefusals = Counter.builder("pinhole.calls.rejected").tag("reason", "account-per-minute")
                .register(meters);
    }

    /**
     * A new call of {@code account} whose registry key will be {@code callKey}: null when it is
     * admitted (and from now on counted), else why not.
     */
    public Refusal admit(String account, String callKey, String callId) {
        while (true) {
            Tally tally = accounts.computeIfAbsent(account, a -> new Tally(maxPerMinute));
            synchronized (tally) {
                if (tally.retired) {
                    continue; // purged between the look-up and the lock: take the new one
                }
                long now = clock.millis();
                if (tally.open.size() >= maxConcurrent || tally.open.size() >= tally.checkAt) {
                    tally.dropEnded(now, live);
                }
                Refusal refusal = tally.open.size() >= maxConcurrent ? CONCURRENT
                        : tally.startsSince(now - MINUTE) >= maxPerMinute ? PER_MINUTE : null;
                if (refusal == null) {
                    tally.open.add(new Started(callKey, now));
                    tally.recordStart(now);
                    tally.refused = null;
                    return null;
                }
                (refusal == CONCURRENT ? concurrentRefusals : perMinuteRefusals).increment();
                if (tally.refused != refusal) {
                    tally.refused = refusal;
                    tally.dropEnded(now, live); // once per streak of refusals: the line gives the exact count
                    LOG.warn("fraud: calls of {} refused with 403 from now on: {} calls in progress (limit {}), {} started "
                                    + "in the last minute (limit {}); first refused Call-ID {}", account, tally.open.size(),
                            maxConcurrent, tally.startsSince(now - MINUTE), maxPerMinute, callId);
                }
                return refusal;
            }
        }
    }

    /** Calls of {@code account} counted as in progress (for tests and diagnostics). */
    int inProgress(String account) {
        Tally tally = accounts.get(account);
        if (tally == null) {
            return 0;
        }
        synchronized (tally) {
            tally.dropEnded(clock.millis(), live);
            return tally.open.size();
        }
    }

    /** Forgets accounts with no call in progress and none started within the last minute. */
    public void purge() {
        long now = clock.millis();
        for (var entry : accounts.entrySet()) {
            Tally tally = entry.getValue();
            synchronized (tally) {
                tally.dropEnded(now, live);
                if (tally.open.isEmpty() && tally.startsSince(now - MINUTE) == 0) {
                    tally.retired = true;
                    accounts.remove(entry.getKey(), tally);
                }
            }
        }
    }

    int tracked() {
        return accounts.size();
    }

    private record Started(String key, long at) {
    }

    /** One account's admitted calls and start times. Guarded by its own monitor. */
    private static final class Tally {
        /** Checked against the registry at least once this many have been admitted since the last check. */
        static final int MIN_CHECK = 16;

        /** Admitted calls, oldest first; some may have ended since the last {@link #dropEnded}. */
        final List<Started> open = new ArrayList<>();
        /** Start times of the last minute, a queue in time order; never more than the per-minute cap. */
        final StartTimes starts;
        /** {@link #open}'s size at which it is next checked against the registry. */
        int checkAt = MIN_CHECK;
        Refusal refused;
        boolean retired;

        Tally(int maxPerMinute) {
            this.starts = new StartTimes(maxPerMinute);
        }

        void dropEnded(long now, Predicate<String> live) {
            open.removeIf(call -> now - call.at() >= GRACE_MILLIS && !live.test(call.key()));
            checkAt = Math.max(MIN_CHECK, 2 * open.size());
        }

        void recordStart(long now) {
            starts.add(now);
        }

        int startsSince(long since) {
            return starts.countAfter(since);
        }
    }
}
