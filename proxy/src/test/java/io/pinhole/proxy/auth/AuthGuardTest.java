package io.pinhole.proxy.auth;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The brute-force guard alone, on a fake clock: which sequences of answers lock what out, and for how long. */
class AuthGuardTest {

    private static final String REALM = "office.example";

    private final DigestAuthenticatorTest.MutableClock clock = new DigestAuthenticatorTest.MutableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private AuthGuard guard(int maxFailures, int maxFailuresPerSource) {
        return new AuthGuard(clock, maxFailures, Duration.ofSeconds(60), maxFailuresPerSource, Duration.ofSeconds(60), meters);
    }

    private static AuthGuard.Account account(String user, String source) {
        return new AuthGuard.Account(user, REALM, source);
    }

    private static final Pattern STEP = Pattern.compile(
            "\\+(\\d+)s|(?:\\[(\\d+)-(\\d+)]|(\\w+))@(\\w+)([!=])(\\d*)");

    /**
     * Plays a sequence of answers as the authenticator meets them (a locked-out answer is refused
     * before it is checked): {@code alice@A!} a wrong answer for alice from address A,
     * {@code alice@A!3} three, {@code alice@A=} a right one, {@code [1-40]@A!2} two wrong answers
     * for each of u1..u40, {@code +30s} time passes.
     */
    private void play(AuthGuard guard, String sequence) {
        for (String step : sequence.trim().split("\\s+")) {
            if (step.isEmpty()) {
                continue;
            }
            Matcher m = STEP.matcher(step);
            assertThat(m.matches()).as("step '%s'", step).isTrue();
            if (m.group(1) != null) {
                clock.advance(Duration.ofSeconds(Long.parseLong(m.group(1))));
                continue;
            }
            List<String> users = new ArrayList<>();
            if (m.group(4) != null) {
                users.add(m.group(4));
            } else {
                for (int i = Integer.parseInt(m.group(2)); i <= Integer.parseInt(m.group(3)); i++) {
                    users.add("u" + i);
                }
            }
            int times = m.group(7).isEmpty() ? 1 : Integer.parseInt(m.group(7));
            for (String user : users) {
                for (int i = 0; i < times; i++) {
                    AuthGuard.Account answer = account(user, m.group(5));
                    if (guard.refusal(answer) != null) {
                        continue;
                    }
                    if (m.group(6).equals("!")) {
                        guard.failed(answer);
                    } else {
                        guard.succeeded(answer);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what                                                  | per account | per address | sequence                        | then      | refused by
            "two wrong answers are challenged again                  | 3 | 100 | alice@A!2                              | alice@A | none",
            "the third locks the account out                         | 3 | 100 | alice@A!3                              | alice@A | account",
            "... from that address only                              | 3 | 100 | alice@A!3                              | alice@B | none",
            "... not the next phone behind the same NAT              | 3 | 100 | alice@A!3                              | bob@A   | none",
            "five stale phones in an office of fifty                 | 3 | 100 | [1-5]@A!3 [6-50]@A=                    | u6@A    | none",
            "... and they stay locked themselves                     | 3 | 100 | [1-5]@A!3 [6-50]@A=                    | u3@A    | account",
            "stale phones retrying every window                      | 3 | 100 | [1-20]@A!3 +60s [1-20]@A!3 +60s [1-20]@A!3 | bob@A | none",
            "stale phones trickling in below 100 a window            | 3 | 100 | [1-10]@A!3 +40s [11-20]@A!3 +40s [21-30]@A!3 +40s [31-40]@A!3 +40s [41-50]@A!3 | bob@A | none",
            "a right answer clears the account's count               | 3 | 100 | alice@A!2 alice@A= alice@A!2           | alice@A | none",
            "failures count within one window from the first         | 3 | 100 | alice@A! +59s alice@A!2                | alice@A | account",
            "a window that passed starts the count again             | 3 | 100 | alice@A!2 +60s alice@A!                | alice@A | none",
            "the account lockout lasts one window ...                | 3 | 100 | alice@A!3 +59s                         | alice@A | account",
            "... and then ends                                       | 3 | 100 | alice@A!3 +60s                         | alice@A | none",
            "failures while locked do not lengthen it                | 3 | 100 | alice@A!3 +30s alice@A!5 +30s          | alice@A | none",
            "one address guessing 50 accounts twice each             | 3 | 100 | [1-50]@A!2                             | nobody@A | source",
            "... locks out every account from it                     | 3 | 100 | [1-50]@A!2                             | bob@A   | source",
            "... not from another address                            | 3 | 100 | [1-50]@A!2                             | bob@B   | none",
            "99 wrong answers from an address are not yet too many   | 3 | 100 | [1-33]@A!3                             | bob@A   | none",
            "a right answer does not clear the address's count       | 3 | 10  | [1-5]@A! bob@A= [6-10]@A!              | bob@A   | source",
            "the address count also runs one window from the first   | 3 | 10  | [1-9]@A! +60s [10-10]@A!               | bob@A   | none",
            "the address lockout lasts one window ...                | 3 | 10  | [1-10]@A! +59s                         | bob@A   | source",
            "... and then ends                                       | 3 | 10  | [1-10]@A! +60s                         | bob@A   | none",
            "both limits: the address wins                           | 3 | 4   | alice@A!3 bob@A!                       | alice@A | source",
            "a limit of one                                          | 1 | 1   | alice@A!                               | alice@B | none",
    })
    void decides(String what, int perAccount, int perAddress, String sequence, String then, String refusedBy) {
        AuthGuard guard = guard(perAccount, perAddress);
        play(guard, sequence);

        String[] probe = then.split("@");
        AuthGuard.Kind kind = guard.refusal(account(probe[0], probe[1]));

        assertThat(kind == null ? "none" : kind.tag()).as(what).isEqualTo(refusedBy);
    }

    @Test
    void failedSaysWhenTheAnswerStartsOrMeetsALockout() {
        AuthGuard guard = guard(3, 5);

        assertThat(guard.failed(account("alice", "A"))).isFalse();
        assertThat(guard.failed(account("alice", "A"))).isFalse();
        assertThat(guard.failed(account("alice", "A"))).as("third: the account is locked").isTrue();
        assertThat(guard.failed(account("bob", "A"))).as("fourth from A, bob's first").isFalse();
        assertThat(guard.failed(account("carol", "A"))).as("fifth from A: the address is locked").isTrue();
        assertThat(guard.failed(account("dave", "B"))).isFalse();
    }

    @Test
    void countsLockoutsOnceAndEveryRefusalByKind() {
        AuthGuard guard = guard(3, 10);
        for (int i = 0; i < 5; i++) {
            guard.failed(account("alice", "A"));            // the 4th and 5th: answers checked in parallel with the 3rd
        }
        guard.refusal(account("alice", "A"));
        guard.refusal(account("alice", "A"));
        guard.refusal(account("bob", "A"));                 // not locked: no refusal
        play(guard, "[1-5]@A!");                            // 10 from A: the address too
        guard.refusal(account("bob", "A"));

        assertThat(counter("pinhole.auth.lockouts", "account")).isEqualTo(1);
        assertThat(counter("pinhole.auth.lockouts", "source")).isEqualTo(1);
        assertThat(counter("pinhole.auth.lockout.refusals", "account")).isEqualTo(2);
        assertThat(counter("pinhole.auth.lockout.refusals", "source")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(60));
        play(guard, "alice@A!3");
        assertThat(counter("pinhole.auth.lockouts", "account")).as("a new lockout after the first ended").isEqualTo(2);
    }

    @Test
    void countersExistBeforeAnyLockout() {
        guard(3, 100);

        assertThat(meters.find("pinhole.auth.lockouts").counters()).hasSize(2);
        assertThat(meters.find("pinhole.auth.lockout.refusals").counters()).hasSize(2);
    }

    @Test
    void logsOneLineWhenALockoutStartsNamingAccountAndAddress() {
        Logger logger = (Logger) LoggerFactory.getLogger(AuthGuard.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            AuthGuard guard = guard(3, 4);
            guard.failed(account("alice", "198.51.100.7"));
            guard.failed(account("alice", "198.51.100.7"));
            assertThat(lines.list).isEmpty();

            guard.failed(account("alice", "198.51.100.7"));
            guard.failed(account("alice", "198.51.100.7"));  // checked in parallel with the third: the address's fourth

            assertThat(lines.list).hasSize(2).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN));
            assertThat(lines.list.get(0).getFormattedMessage())
                    .contains("alice@office.example", "198.51.100.7", "60s", "3 wrong answers");
            assertThat(lines.list.get(1).getFormattedMessage())
                    .contains("address 198.51.100.7", "4 wrong answers across accounts", "alice@office.example");
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void usernamesAreLoggedWithoutControlCharacters() {
        assertThat(AuthGuard.printable("bob\r\nforged")).isEqualTo("bob??forged");
        assertThat(AuthGuard.printable("x".repeat(100))).hasSize(67).endsWith("...");
    }

    @Test
    void talliesArePurgedOnceTheirWindowOrLockoutHasPassed() {
        AuthGuard guard = guard(3, 1000);
        play(guard, "[1-200]@A! alice@B!3");
        assertThat(guard.tracked()).isEqualTo(200 + 1 + 2);   // accounts, plus addresses A and B

        clock.advance(Duration.ofSeconds(59));
        guard.purgeExpired();
        assertThat(guard.tracked()).as("within the window / lockout").isEqualTo(203);

        clock.advance(Duration.ofSeconds(1));
        guard.purgeExpired();
        assertThat(guard.tracked()).isZero();
    }

    @Test
    void aRightAnswerForgetsTheAccountsTally() {
        AuthGuard guard = guard(3, 100);
        play(guard, "alice@A!2 alice@A=");

        assertThat(guard.tracked()).as("only address A's count is left").isEqualTo(1);
    }

    private double counter(String name, String kind) {
        return meters.get(name).tag("kind", kind).counter().count();
    }
}
