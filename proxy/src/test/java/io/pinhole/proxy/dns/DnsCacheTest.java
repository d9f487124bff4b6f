package io.pinhole.proxy.dns;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DnsCacheTest {

    private final MovingClock clock = new MovingClock();
    private final DnsCache cache = new DnsCache(clock, 100, Duration.ofSeconds(60));

    private static DnsAnswer.Found found(long ttl) throws Exception {
        return new DnsAnswer.Found(List.of(new DnsRecord.Address(InetAddress.getByName("192.0.2.7"))), ttl);
    }

    @Test
    void keepsRecordsForTheirTtlAndCountsItDown() throws Exception {
        cache.put("sip1.p.example", RecordType.A, found(300));
        clock.advance(Duration.ofSeconds(100));
        assertThat(cache.get("sip1.p.example", RecordType.A)).get()
                .isEqualTo(new DnsAnswer.Found(found(1).records(), 200));
        clock.advance(Duration.ofSeconds(200));
        assertThat(cache.get("sip1.p.example", RecordType.A)).isEmpty();
    }

    @Test
    void keysOnNameAndType() throws Exception {
        cache.put("p.example", RecordType.A, found(300));
        assertThat(cache.get("p.example", RecordType.AAAA)).isEmpty();
        assertThat(cache.get("q.example", RecordType.A)).isEmpty();
    }

    @Test
    void negativeAnswersAreKeptForTheirTtlButAtMostTheCap() {
        cache.put("short.example", RecordType.NAPTR, new DnsAnswer.Missing(10));
        cache.put("long.example", RecordType.NAPTR, new DnsAnswer.Missing(86_400));
        clock.advance(Duration.ofSeconds(9));
        assertThat(cache.get("short.example", RecordType.NAPTR)).get().isInstanceOf(DnsAnswer.Missing.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("short.example", RecordType.NAPTR)).isEmpty();
        clock.advance(Duration.ofSeconds(49));
        assertThat(cache.get("long.example", RecordType.NAPTR)).get().isEqualTo(new DnsAnswer.Missing(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("long.example", RecordType.NAPTR)).as("capped at 60 s").isEmpty();
    }

    @Test
    void failuresAndZeroTtlAreNotKept() throws Exception {
        cache.put("p.example", RecordType.SRV, new DnsAnswer.Failed("timed out"));
        cache.put("q.example", RecordType.A, found(0));
        assertThat(cache.size()).isZero();
    }

    @Test
    void leastRecentlyUsedGoesWhenFull() throws Exception {
        DnsCache small = new DnsCache(clock, 2, Duration.ofSeconds(60));
        small.put("a.example", RecordType.A, found(300));
        small.put("b.example", RecordType.A, found(300));
        small.get("a.example", RecordType.A);
        small.put("c.example", RecordType.A, found(300));
        assertThat(small.get("a.example", RecordType.A)).isPresent();
        assertThat(small.get("b.example", RecordType.A)).isEmpty();
        assertThat(small.get("c.example", RecordType.A)).isPresent();
    }

    static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
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
