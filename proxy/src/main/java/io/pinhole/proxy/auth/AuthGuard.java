package io.pinhole.proxy.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * The brute-force guard of digest authentication, with two limits:
 * <ul>
 *   <li>per account and source address: {@code maxFailures} wrong answers for user@domain from
 *       one address lock that account out from that address only. A phone with a stale password
 *       stops retrying without locking out the other phones behind the same NAT;</li>
 *   <li>per source address: {@code maxFailuresPerSource} wrong answers across all accounts lock
 *       the whole address out (one address guessing many accounts). Set it well above what an
 *       office or carrier-grade NAT produces: its stale phones add at most {@code maxFailures}
 *       each per window, as they are locked out after that.</li>
 * </ul>
 * Failures are counted within a window from the first one; reaching a limit locks out for one
 * window. A locked-out answer is refused (403) without being checked or counted. A right answer
 * clears its account's tally, never its address's (a guesser cannot reset the count with an
 * account of its own). Unknown users count like wrong passwords.
 */
public final class AuthGuard {

    /** Which limit a lockout comes from (the {@code kind} tag of the metrics). */
    public enum Kind {
        ACCOUNT("account"), SOURCE("source");

        private final String tag;

        Kind(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** An account (the digest username in a realm) answering from a source address: the per-account key. */
    public record Account(String user, String realm, String source) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(AuthGuard.class);

    private final AuthFailures<Account> accounts;
    private final AuthFailures<String> sources;
    private final Counter accountLockouts;
    private final Counter sourceLockouts;
    private final Counter accountRefusals;
    private final Counter sourceRefusals;

    public AuthGuard(Clock clock, int maxFailures, Duration failureWindow, int maxFailuresPerSource,
                     Duration sourceFailureWindow, MeterRegistry meters) {
        this.accounts = new AuthFailures<>(clock, maxFailures, failureWindow);
        this.sources = new AuthFailures<>(clock, maxFailuresPerSource, sourceFailureWindow);
        this.accountLockouts = lockouts(meters, Kind.ACCOUNT);
        this.sourceLockouts = lockouts(meters, Kind.SOURCE);
        this.accountRefusals = refusals(meters, Kind.ACCOUNT);
        this.sourceRefusals = refusals(meters, Kind.SOURCE);
    }

    private static Counter lockouts(MeterRegistry meters, Kind kind) {
        return Counter.builder("pinhole.auth.lockouts").tag("kind", kind.tag())
                .description("Lockouts started: an account at one address, or a whole address, reached its wrong-answer limit")
                .register(meters);
    }

    private static Counter refusals(MeterRegistry meters, Kind kind) {
        return Counter.builder("pinhole.auth.lockout.refusals").tag("kind", kind.tag())
                .description("Answers to a challenge refused with 403 because their account or address was locked out")
                .register(meters);
    }

    /**
     * The lockout in force for an answer from this account and address (the address's first), or
     * null: a locked-out answer is refused with 403 and counted as a refusal.
     */
    public Kind refusal(Account account) {
        if (sources.blocked(account.source())) {
            sourceRefusals.increment();
            return Kind.SOURCE;
        }
        if (accounts.blocked(account)) {
            accountRefusals.increment();
            return Kind.ACCOUNT;
        }
        return null;
    }

    /** A wrong answer (or an unknown user): true when the account or the address is locked out from now on. */
    public boolean failed(Account account) {
        int forAccount = accounts.recordFailure(account);
        int forSource = sources.recordFailure(account.source());
        if (forAccount == accounts.limit()) {
            accountLockouts.increment();
            LOG.warn("auth: {}@{} locked out from {} for {}: {} wrong answers; its answers from that address get 403",
                    printable(account.user()), account.realm(), account.source(), text(accounts.window()), forAccount);
        }
        if (forSource == sources.limit()) {
            sourceLockouts.increment();
            LOG.warn("auth: address {} locked out for {}: {} wrong answers across accounts, the last for {}@{}; "
                            + "every answer from that address gets 403",
                    account.source(), text(sources.window()), forSource, printable(account.user()), account.realm());
        }
        return forAccount >= accounts.limit() || forSource >= sources.limit();
    }

    /** A right answer: the account's count at this address starts again (the address's does not). */
    public void succeeded(Account account) {
        accounts.reset(account);
    }

    /** Forgets tallies whose window or lockout has passed. */
    public void purgeExpired() {
        accounts.purgeExpired();
        sources.purgeExpired();
    }

    int tracked() {
        return accounts.size() + sources.size();
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** The username as the client sent it, without control characters (it goes into a log line). */
    static String printable(String user) {
        StringBuilder out = new StringBuilder(Math.min(user.length(), 64));
        for (int i = 0; i < user.length() && i < 64; i++) {
            char ch = user.charAt(i);
            out.append(Character.isISOControl(ch) ? '?' : ch);
        }
        return user.length() > 64 ? out.append("...").toString() : out.toString();
    }
}
