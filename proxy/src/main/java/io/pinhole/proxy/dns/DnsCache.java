package io.pinhole.proxy.dns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * DNS answers by name and type, each kept for its TTL: records for the smallest TTL among them,
 * a negative answer (RFC 2308) for its own TTL but at most {@code maxNegativeTtl}; failures
 * are never kept (the next call asks again). Bounded: past {@code capacity} entries the least
 * recently used goes. Thread-safe.
 */
public final class DnsCache {

    private record Key(String name, RecordType type) {
    }

    private record Entry(DnsAnswer answer, Instant expiresAt) {
    }

    private final Clock clock;
    private final Duration maxNegativeTtl;
    private final Map<Key, Entry> entries;

    public DnsCache(Clock clock, int capacity, Duration maxNegativeTtl) {
        if (capacity < 1) {
            throw new IllegalArgumentException("DNS cache capacity must be at least 1, got " + capacity);
        }
        this.clock = clock;
        this.maxNegativeTtl = maxNegativeTtl;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The answer still valid for this question, with its TTL counted down to what is left. */
    public synchronized Optional<DnsAnswer> get(String name, RecordType type) {
        Key key = new Key(name, type);
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(entry.expiresAt())) {
            entries.remove(key);
            return Optional.empty();
        }
        long left = Math.max(1, Duration.between(now, entry.expiresAt()).toSeconds());
        DnsAnswer answer = entry.answer();
        return Optional.of(answer instanceof DnsAnswer.Found found ? new DnsAnswer.Found(found.records(), left)
                : new DnsAnswer.Missing(left));
    }

    public synchronized void put(String name, RecordType type, DnsAnswer answer) {
        long ttl = answer instanceof DnsAnswer.Found found ? found.ttlSeconds()
                : answer instanceof DnsAnswer.Missing missing ? Math.min(missing.ttlSeconds(), maxNegativeTtl.toSeconds())
                : 0;
        if (ttl <= 0) {
            return; // TTL 0 means "do not cache" (RFC 1035 §3.2.1); a failure teaches nothing
        }
        entries.put(new Key(name, type), new Entry(answer, clock.instant().plusSeconds(ttl)));
    }

    public synchronized int size() {
        return entries.size();
    }
}
