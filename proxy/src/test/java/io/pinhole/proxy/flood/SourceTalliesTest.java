package io.pinhole.proxy.flood;

import io.pinhole.proxy.flood.SourceTallies.Standing;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-source sliding window and its bounded table, on explicit times (milliseconds). */
class SourceTalliesTest {

    private static final InetAddress A = address("192.0.2.10");
    private static final InetAddress B = address("192.0.2.11");
    private static final InetAddress C = address("192.0.2.12");
    private static final InetAddress D = address("192.0.2.13");
    private static final Duration TWO_SECONDS = Duration.ofSeconds(2);

    private static SourceTallies tallies(int max) {
        return new SourceTallies(max, TWO_SECONDS, 1000, source -> false);
    }

    /** {@code count} requests from {@code source} at {@code at} ms; the standing after the last. */
    private static Standing hits(SourceTallies tallies, InetAddress source, int count, long at) {
        Standing last = null;
        for (int i = 0; i < count; i++) {
            last = tallies.hit(source, at);
        }
        return last;
    }

    @Test
    void theLimitItselfPassesTheNextRequestIsOver() {
        SourceTallies tallies = tallies(400);

        assertThat(hits(tallies, A, 400, 10_000)).isEqualTo(Standing.WITHIN);
        assertThat(tallies.hit(A, 10_000)).isEqualTo(Standing.OVER);
        assertThat(tallies.hit(B, 10_000)).as("another source has its own count").isEqualTo(Standing.WITHIN);
    }

    @Test
    void theWindowSlidesAcrossWhatAFixedWindowWouldReset() {
        SourceTallies tallies = tallies(400);

        // 300 just before and 300 just after a 2 s boundary: a fixed window would see 300 and 300
        assertThat(hits(tallies, A, 300, 11_900)).isEqualTo(Standing.WITHIN);
        assertThat(hits(tallies, A, 100, 12_100)).isEqualTo(Standing.WITHIN);
        assertThat(tallies.hit(A, 12_100)).isEqualTo(Standing.OVER);
    }

    @Test
    void requestsOlderThanTheWindowNoLongerCount() {
        SourceTallies tallies = tallies(400);

        hits(tallies, A, 400, 10_000);
        // 1.95 s later the 400 are still inside the window...
        assertThat(tallies.hit(A, 11_950)).isEqualTo(Standing.OVER);
        // ...2.05 s later they have slid out (exact to a tenth of the window)
        SourceTallies fresh = tallies(400);
        hits(fresh, A, 400, 10_000);
        assertThat(fresh.hit(A, 12_050)).isEqualTo(Standing.WITHIN);
        assertThat(fresh.count(A, 12_050)).isEqualTo(1);
        // a steady 150 per second never reaches 400 per 2 s
        SourceTallies steady = tallies(400);
        List<Standing> standings = new ArrayList<>();
        for (long t = 0; t < 60_000; t += 100) {
            standings.add(hits(steady, A, 15, 20_000 + t));
        }
        assertThat(standings).containsOnly(Standing.WITHIN);
    }

    @Test
    void aClockSteppingBackDoesNotResetTheCount() {
        SourceTallies tallies = tallies(10);

        hits(tallies, A, 10, 50_000);
        assertThat(tallies.hit(A, 40_000)).isEqualTo(Standing.OVER);
    }

    @Test
    void trustedSourcesAreNeverCountedAndAskedAboutOnce() {
        AtomicInteger asked = new AtomicInteger();
        SourceTallies tallies = new SourceTallies(10, TWO_SECONDS, 1000, source -> {
            asked.incrementAndGet();
            return source.equals(A);
        });

        assertThat(hits(tallies, A, 100_000, 10_000)).isEqualTo(Standing.TRUSTED);
        assertThat(hits(tallies, B, 11, 10_000)).isEqualTo(Standing.OVER);
        assertThat(asked).as("once per source, when first seen").hasValue(2);
    }

    @Test
    void idleSourcesAreForgottenOnceTheirWindowHasPassed() {
        SourceTallies tallies = tallies(400);
        tallies.hit(A, 10_000);
        tallies.hit(B, 11_000);

        tallies.purgeIdle(11_999);
        assertThat(tallies.size()).isEqualTo(2);
        tallies.purgeIdle(12_000);
        assertThat(tallies.size()).as("A's window has passed, B's not").isEqualTo(1);
        assertThat(tallies.count(B, 12_000)).isEqualTo(1);
        tallies.purgeIdle(13_000);
        assertThat(tallies.size()).isZero();
    }

    @Test
    void aFullTableForgetsTheSourceSeenLeastRecently() {
        SourceTallies tallies = new SourceTallies(5, TWO_SECONDS, 3, source -> false, 1);
        tallies.hit(A, 10_000);
        tallies.hit(B, 10_000);
        tallies.hit(C, 10_000);
        tallies.hit(A, 10_001); // A seen again: B is now the least recently seen

        tallies.hit(D, 10_002);

        assertThat(tallies.size()).isEqualTo(3);
        assertThat(tallies.evictions()).isEqualTo(1);
        assertThat(tallies.count(B, 10_002)).as("B forgotten").isZero();
        assertThat(tallies.count(A, 10_002)).isEqualTo(2);
        assertThat(tallies.count(C, 10_002)).isEqualTo(1);
    }

    @Test
    void aFloodFromEverNewAddressesCannotGrowTheTableBeyondItsCapacity() throws UnknownHostException {
        SourceTallies tallies = new SourceTallies(400, TWO_SECONDS, 1000, source -> false);

        for (int i = 0; i < 100_000; i++) {
            byte[] spoofed = {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
            tallies.hit(InetAddress.getByAddress(spoofed), 10_000);
        }

        assertThat(tallies.size()).isLessThanOrEqualTo(1000 + SourceTallies.STRIPES);
        assertThat(tallies.evictions()).isGreaterThanOrEqualTo(100_000 - 1000 - SourceTallies.STRIPES);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
