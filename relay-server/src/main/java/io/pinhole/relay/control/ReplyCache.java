package io.pinhole.relay.control;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replies by cookie, so a retransmitted request (same cookie) gets the same answer instead of
 * being executed twice. Entries expire after a TTL and the cache is bounded. Control thread only.
 */
final class ReplyCache {

    private record Entry(byte[] reply, long expiresNanos) {
    }

    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;

    ReplyCache(long ttlNanos, int maxEntries) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = maxEntries;
    }

    byte[] get(String cookie, long now) {
        Entry e = entries.get(cookie);
        return e == null || now - e.expiresNanos() > 0 ? null : e.reply();
    }

    void put(String cookie, byte[] reply, long now) {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Entry> oldest = it.next();
            if (now - oldest.getValue().expiresNanos() > 0 || entries.size() >= maxEntries) {
                it.remove();
            } else {
                break;
            }
        }
        entries.put(cookie, new Entry(reply, now + ttlNanos));
    }

    int size() {
        return entries.size();
    }
}
