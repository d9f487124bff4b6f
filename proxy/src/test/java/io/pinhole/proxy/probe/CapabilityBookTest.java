package io.pinhole.proxy.probe;

import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.Flow;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CapabilityBookTest {

    private static Binding binding(int i) {
        return new Binding(1, "u" + i + "@example.test", "sip:u" + i + "@10.0.0.1", "sip:u" + i + "@10.0.0.1:5060",
                "c" + i, 1, null, 600, Instant.parse("2026-12-05T12:10:00Z"), new Flow("203.0.113.7", 40000 + i, "UDP"),
                null, null, "test");
    }

    @Test
    void withTheProbeDisabledNoBindingIsKept() {
        CapabilityBook book = new CapabilityBook(false);
        for (int i = 0; i < 1_000; i++) {
            book.track(binding(i));
        }

        assertThat(book.nextTracked()).isNull();
    }

    @Test
    void withTheProbeEnabledBindingsWaitForIt() {
        CapabilityBook book = new CapabilityBook(true);
        book.track(binding(1));

        assertThat(book.nextTracked()).isEqualTo(binding(1));
        assertThat(book.nextTracked()).isNull();
    }
}
