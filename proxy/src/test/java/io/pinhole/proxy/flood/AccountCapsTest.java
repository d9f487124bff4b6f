package io.pinhole.proxy.flood;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The toll-fraud caps on a fake clock, with a set standing in for the call registry. */
class AccountCapsTest {

    private static final String ALICE = "alice@office.example";
    private static final String BOB = "bob@office.example";

    private final FakeClock clock = new FakeClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** The calls the registry holds (up). */
    private final Set<String> registry = new HashSet<>();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger log = (Logger) LoggerFactory.getLogger(AccountCaps.class);

    @BeforeEach
    void captureLog() {
        lines.start();
        log.addAppender(lines);
    }

    @AfterEach
    void releaseLog() {
        log.detachAppender(lines);
    }

    private AccountCaps caps(int concurrent, int perMinute) {
        return new AccountCaps(clock, concurrent, perMinute, registry::contains, meters);
    }

    /** Admits a call and, when admitted, puts it in the registry as the INVITE handler would. */
    private AccountCaps.Refusal call(AccountCaps caps, String account, String key) {
        AccountCaps.Refusal refusal = caps.admit(account, key, "cid-" + key);
        if (refusal == null) {
            registry.add(key);
        }
        return refusal;
    }

    private double rejected(String reason) {
        return meters.get("pinhole.calls.rejected").tag("reason", reason).counter().count();
    }

    @Test
    void anAccountAtItsConcurrentCapIsRefusedUntilOneOfItsCallsEnds() {
        AccountCaps caps = caps(2, 30);
        assertThat(call(caps, ALICE, "a1")).isNull();
        assertThat(call(caps, ALICE, "a2")).isNull();
        clock.advance(Duration.ofSeconds(5));

        assertThat(call(caps, ALICE, "a3")).isEqualTo(AccountCaps.CONCURRENT);
        assertThat(call(caps, BOB, "b1")).as("another account").isNull();

        registry.remove("a1"); // the call ended: whichever way, the registry no longer holds it
        assertThat(call(caps, ALICE, "a4")).isNull();
        assertThat(caps.inProgress(ALICE)).isEqualTo(2);
        assertThat(call(caps, ALICE, "a5")).isEqualTo(AccountCaps.CONCURRENT);
        assertThat(AccountCaps.CONCURRENT.reason()).isEqualTo("Forbidden (too many calls in progress for this account)");
        assertThat(rejected("account-concurrent")).isEqualTo(2);
    }

    @Test
    void aCallJustAdmittedCountsBeforeTheRegistryHoldsIt() {
        AccountCaps caps = caps(1, 30);
        assertThat(caps.admit(ALICE, "a1", "c1")).isNull(); // not registered yet (or refused later with 404/480)

        assertThat(caps.admit(ALICE, "a2", "c2")).isEqualTo(AccountCaps.CONCURRENT);
        clock.advanceMillis(AccountCaps.GRACE_MILLIS);
        assertThat(caps.admit(ALICE, "a3", "c3")).as("a1 never made it into the registry: not a call in progress")
                .isNull();
    }

    @Test
    void anAccountPastItsCallsPerMinuteIsRefusedUntilTheMinuteHasPassed() {
        AccountCaps caps = caps(10, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(call(caps, ALICE, "a" + i)).isNull();
            registry.remove("a" + i); // short calls: none left in progress
            clock.advance(Duration.ofSeconds(10));
        }

        assertThat(call(caps, ALICE, "a3")).isEqualTo(AccountCaps.PER_MINUTE);
        clock.advance(Duration.ofSeconds(29)); // 59 s after the first
        assertThat(call(caps, ALICE, "a4")).isEqualTo(AccountCaps.PER_MINUTE);
        clock.advance(Duration.ofSeconds(1)); // the first start is a minute old
        assertThat(call(caps, ALICE, "a5")).isNull();
        assertThat(call(caps, ALICE, "a6")).as("the second is not").isEqualTo(AccountCaps.PER_MINUTE);
        assertThat(call(caps, BOB, "b1")).isNull();
        assertThat(rejected("account-per-minute")).isEqualTo(3);
        assertThat(AccountCaps.PER_MINUTE.reason()).contains("Forbidden", "minute");
    }

    @Test
    void refusedCallsDoNotCountAsStarted() {
        AccountCaps caps = caps(1, 2);
        assertThat(call(caps, ALICE, "a1")).isNull();
        clock.advance(Duration.ofSeconds(2));
        for (int i = 0; i < 5; i++) {
            assertThat(call(caps, ALICE, "x" + i)).isEqualTo(AccountCaps.CONCURRENT);
        }
        registry.remove("a1");

        assertThat(call(caps, ALICE, "a2")).as("one start in the minute so far, not six").isNull();
    }

    @Test
    void logsOneLinePerAccountWhenItStartsBeingRefused() {
        AccountCaps caps = caps(1, 30);
        call(caps, ALICE, "a1");
        clock.advance(Duration.ofSeconds(2));
        call(caps, ALICE, "a2");
        call(caps, ALICE, "a3");
        call(caps, ALICE, "a4");

        assertThat(lines.list).singleElement().satisfies(line -> assertThat(line.getFormattedMessage())
                .contains(ALICE, "1 calls in progress (limit 1)", "cid-a2"));

        registry.remove("a1");
        call(caps, ALICE, "a5");
        clock.advance(Duration.ofSeconds(2));
        call(caps, ALICE, "a6");
        assertThat(lines.list).as("refused again after a call got through: a new line").hasSize(2);
    }

    @Test
    void idleAccountsAreForgotten() {
        AccountCaps caps = caps(5, 30);
        call(caps, ALICE, "a1");
        call(caps, BOB, "b1");
        registry.remove("b1");
        clock.advance(Duration.ofSeconds(30));
        caps.purge();
        assertThat(caps.tracked()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(31));
        caps.purge();
        assertThat(caps.tracked()).as("alice's call is still up").isEqualTo(1);
        assertThat(caps.inProgress(ALICE)).isEqualTo(1);
        assertThat(call(caps, BOB, "b2")).isNull();
    }

    /** The bench's caps (100,000): each INVITE used to ask the registry about every open call. */
    @Test
    void anInviteDoesNotAskTheRegistryAboutEveryOpenCallOfTheAccount() {
        int[] asked = {0};
        AccountCaps caps = new AccountCaps(clock, 100_000, 100_000, key -> {
            asked[0]++;
            return registry.contains(key);
        }, meters);
        for (int i = 0; i < 5_000; i++) {
            assertThat(call(caps, ALICE, "a" + i)).isNull();
            if (i % 2 == 0) {
                registry.remove("a" + i); // half of them short calls
            }
            clock.advanceMillis(2);
        }
        assertThat(asked[0]).as("registry look-ups for 5,000 INVITEs, amortised O(1) each").isLessThan(4 * 5_000);
        clock.advance(Duration.ofSeconds(2)); // past the grace of the last ones
        assertThat(caps.inProgress(ALICE)).isEqualTo(2_500);
    }

    @Test
    void theConcurrentCapIsExactEvenBetweenTheRegistryChecks() {
        AccountCaps caps = caps(20, 1_000);
        for (int i = 0; i < 20; i++) {
            assertThat(call(caps, ALICE, "a" + i)).isNull();
        }
        clock.advance(Duration.ofSeconds(2));
        assertThat(call(caps, ALICE, "x")).isEqualTo(AccountCaps.CONCURRENT);
        registry.remove("a7");
        assertThat(call(caps, ALICE, "a20")).as("one ended: exactly one more").isNull();
        assertThat(call(caps, ALICE, "y")).isEqualTo(AccountCaps.CONCURRENT);
    }

    @Test
    void thePerMinuteCapCountsStartsToTheMillisecond() {
        AccountCaps caps = caps(1_000, 2);
        assertThat(call(caps, ALICE, "a1")).isNull();
        clock.advanceMillis(500);
        assertThat(call(caps, ALICE, "a2")).isNull();
        clock.advanceMillis(59_499); // the first started 59.999 s ago
        assertThat(call(caps, ALICE, "a3")).isEqualTo(AccountCaps.PER_MINUTE);
        clock.advanceMillis(1);
        assertThat(call(caps, ALICE, "a4")).isNull();
        assertThat(call(caps, ALICE, "a5")).isEqualTo(AccountCaps.PER_MINUTE);
    }
}
