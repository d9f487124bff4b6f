package io.pinhole.proxy.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Reads a {@link MediaProbePhone}'s report by where the packets came from: a range of relay ports
 * (one relay's), so a test tells media through one relay from media through another.
 */
public final class MediaReport {

    private MediaReport() {
    }

    /** Packets the phone received from ports in [min, max]. */
    public static int packets(JsonNode media, int min, int max) {
        int count = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = media.path("sources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (within(e.getKey(), min, max)) {
                count += e.getValue().asInt();
            }
        }
        return count;
    }

    /** When the last packet from ports in [min, max] came (the report's milliseconds), -1 when none did. */
    public static long lastFrom(JsonNode media, int min, int max) {
        long last = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = media.path("last_from").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (within(e.getKey(), min, max)) {
                last = Math.max(last, e.getValue().asLong());
            }
        }
        return last;
    }

    /** When the first packet from ports in [min, max] came, {@link Long#MAX_VALUE} when none did. */
    public static long firstFrom(JsonNode media, int min, int max) {
        long first = Long.MAX_VALUE;
        for (Iterator<Map.Entry<String, JsonNode>> it = media.path("first_from").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (within(e.getKey(), min, max)) {
                first = Math.min(first, e.getValue().asLong());
            }
        }
        return first;
    }

    /** Whether "address:port" has its port in [min, max]. */
    public static boolean within(String source, int min, int max) {
        int port = Integer.parseInt(source.substring(source.lastIndexOf(':') + 1));
        return port >= min && port <= max;
    }
}
