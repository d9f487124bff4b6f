package io.pinhole.proxy.relay;

import io.pinhole.proxy.media.MediaTransport;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What media transports a relay serves, read from its answer to ng {@code ping}:
 * <pre>
 * {"result": "pong", "transports": [{"transport": "udp"}, {"transport": "tls", "port": 443}, ...]}
 * </pre>
 * UDP always (every ng relay relays RTP over UDP); a pong without the list (rtpengine's) means UDP
 * only. Names it does not know are skipped (a newer relay may serve more). Pure.
 */
public final class RelayTransports {

    private RelayTransports() {
    }

    public static Set<MediaTransport> read(Map<String, Object> pong) {
        Set<MediaTransport> served = EnumSet.of(MediaTransport.UDP);
        if (pong != null && pong.get("transports") instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> m && m.get("transport") instanceof String name) {
                    MediaTransport t = MediaTransport.parse(name);
                    if (t != null) {
                        served.add(t);
                    }
                }
            }
        }
        return Set.copyOf(served);
    }

    /** "udp, tls": the set in words, in the enum's order, for log lines and reasons. */
    public static String describe(Set<MediaTransport> served) {
        return String.join(", ", EnumSet.copyOf(served).stream().map(MediaTransport::wire).toList());
    }
}
