package io.pinhole.proxy.media;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which planned paths the media side can carry out. A plan asking for one it lacks falls back
 * to the best one it has, and says so.
 *
 * @param offers RELAY_UDP always (every ng relay speaks it); RELAY_TCP, RELAY_HTTP when the relay
 *               carries media over them; PUNCH when a relayed call can be moved to a punched hole
 */
public record RelayCapabilities(Set<MediaPath> offers) {

    /** UDP relaying only: what a relay does without the proxy's hole punching (TCP/HTTP media are a later issue). */
    public static final RelayCapabilities UDP_ONLY = new RelayCapabilities(Set.of(MediaPath.RELAY_UDP));
    /** UDP relaying, and punching: a PUNCH leg starts relayed over UDP and the proxy moves it direct. */
    public static final RelayCapabilities UDP_AND_PUNCH = new RelayCapabilities(Set.of(MediaPath.RELAY_UDP, MediaPath.PUNCH));

    /**
     * What the relays serve: UDP always, TCP when they serve media over TCP or TLS, HTTP over
     * HTTP; punching as configured.
     */
    public static RelayCapabilities of(Set<MediaTransport> served, boolean punch) {
        Set<MediaPath> offers = EnumSet.of(MediaPath.RELAY_UDP);
        if (served.contains(MediaTransport.TCP) || served.contains(MediaTransport.TLS)) {
            offers.add(MediaPath.RELAY_TCP);
        }
        if (served.contains(MediaTransport.HTTP)) {
            offers.add(MediaPath.RELAY_HTTP);
        }
        if (punch) {
            offers.add(MediaPath.PUNCH);
        }
        return new RelayCapabilities(offers);
    }

    /** What to try, in order, when a path is not offered: HTTP runs over TCP, so each stands in for the other. */
    private static final Map<MediaPath, List<MediaPath>> FALLBACKS = Map.of(
            MediaPath.RELAY_TCP, List.of(MediaPath.RELAY_HTTP, MediaPath.RELAY_UDP),
            MediaPath.RELAY_HTTP, List.of(MediaPath.RELAY_TCP, MediaPath.RELAY_UDP),
            MediaPath.PUNCH, List.of(MediaPath.RELAY_UDP));

    public RelayCapabilities {
        if (!offers.contains(MediaPath.RELAY_UDP)) {
            throw new IllegalArgumentException("a relay offers RELAY_UDP at least, not only " + offers);
        }
        if (offers.contains(MediaPath.DIRECT)) {
            throw new IllegalArgumentException("DIRECT is no relay capability");
        }
        offers = Set.copyOf(EnumSet.copyOf(offers));
    }

    /** The planned path if offered, else the first fallback that is. */
    MediaPath best(MediaPath planned) {
        if (planned == MediaPath.DIRECT || offers.contains(planned)) {
            return planned;
        }
        return FALLBACKS.get(planned).stream().filter(offers::contains).findFirst().orElse(MediaPath.RELAY_UDP);
    }

    /** "UDP only", "UDP, TCP": the relay transports, for reasons in words. */
    String describe() {
        List<String> media = EnumSet.copyOf(offers).stream().filter(p -> p != MediaPath.PUNCH).map(MediaPath::medium)
                .toList();
        return media.size() == 1 ? media.get(0) + " only" : String.join(", ", media);
    }
}
