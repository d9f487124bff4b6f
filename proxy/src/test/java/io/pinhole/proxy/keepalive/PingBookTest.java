package io.pinhole.proxy.keepalive;

import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.Flow;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PingBookTest {

    private static Binding binding(int i) {
        return new Binding(1, "u" + i + "@example.test", "sip:u" + i + "@10.0.0.1", "sip:u" + i + "@10.0.0.1:5060",
                "c" + i, 1, null, 600, Instant.parse("2026-12-05T12:10:00Z"), new Flow("203.0.113.7", 40000 + i, "UDP"),
                null, null, "test");
    }

    /** The benchmark found 100,000 bindings queued for ever in a proxy with keepalives off. */
    @Test
    void withKeepalivesDisabledNoBindingIsKept() {
        PingBook book = new PingBook(false);
        for (int i = 0; i < 1_000; i++) {
            book.track(binding(i));
        }

        assertThat(book.nextTracked()).isNull();
        assertThat(book.tracked()).isZero();
    }

    @Test
    void withKeepalivesEnabledBindingsWaitForThePinger() {
        PingBook book = new PingBook(true);
        book.track(binding(1));

        assertThat(book.nextTracked()).isEqualTo(binding(1));
        assertThat(book.nextTracked()).isNull();
    }

    @Test
    void countsUnreachableBindingsAsTheyFlip() {
        PingBook book = new PingBook(true);
        PingPlan options = new PingPlan(PingMethod.OPTIONS, "test");
        PingState a = book.add(binding(1).flowKey(), binding(1), options);
        PingState b = book.add(binding(2).flowKey(), binding(2), options);

        assertThat(book.markUnreachable(a)).isTrue();
        assertThat(book.markUnreachable(a)).as("already unreachable").isFalse();
        assertThat(book.markUnreachable(b)).isTrue();
        assertThat(book.unreachable()).isEqualTo(2);

        a.sent = 4;
        book.answered(PingBook.CALL_ID_PREFIX + a.id + "-4@192.0.2.1");
        assertThat(book.unreachable()).isEqualTo(1);
        book.remove(b);
        assertThat(book.unreachable()).isZero();
        book.answered(PingBook.CALL_ID_PREFIX + b.id + "-0@192.0.2.1");
        assertThat(book.unreachable()).as("an answer after the binding was forgotten").isZero();
        assertThat(book.lateAnswers()).isEqualTo(1);
    }

    @Test
    void claimsItsOwnCallIdPrefix() {
        assertThat(new PingBook(true).callIdPrefix()).isEqualTo("nat-ping-");
    }
}
