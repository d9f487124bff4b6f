package io.pinhole.proxy.media;

import io.pinhole.proxy.nat.NatVerdict;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Legs and policies written as short specs, so a table row reads as the case it is:
 * {@code "nat map=EIM filt=APDF send=Y recv=N"}, {@code "public send=Y recv=Y site=office"},
 * {@code "nat http dom=b.example sip=WS"}, {@code "nat edge=tls send=N recv=N"} (behind an edge agent),
 * {@code "nat edge=tls up=udp send=Y recv=N"} (whose media goes up over UDP).
 * Anything not written is not probed.
 */
final class Legs {

    static final NatVerdict BEHIND_NAT = new NatVerdict(true, List.of("SDP address 10.0.0.2 is private"));
    static final RelayCapabilities EVERYTHING = new RelayCapabilities(
            Set.of(MediaPath.RELAY_UDP, MediaPath.RELAY_TCP, MediaPath.RELAY_HTTP, MediaPath.PUNCH));

    private static final Map<String, NatBehaviour> BEHAVIOURS = Map.of(
            "EIM", NatBehaviour.ENDPOINT_INDEPENDENT, "ADM", NatBehaviour.ADDRESS_DEPENDENT,
            "APDM", NatBehaviour.ADDRESS_AND_PORT_DEPENDENT, "EIF", NatBehaviour.ENDPOINT_INDEPENDENT,
            "ADF", NatBehaviour.ADDRESS_DEPENDENT, "APDF", NatBehaviour.ADDRESS_AND_PORT_DEPENDENT,
            "?", NatBehaviour.UNKNOWN);
    private static final Map<String, Ability> ABILITIES = Map.of("Y", Ability.YES, "N", Ability.NO, "?", Ability.UNKNOWN);

    private Legs() {
    }

    static LegEvidence leg(String name, String spec) {
        NatVerdict nat = null;
        Ability send = Ability.UNKNOWN;
        Ability receive = Ability.UNKNOWN;
        NatBehaviour mapping = NatBehaviour.UNKNOWN;
        NatBehaviour filtering = NatBehaviour.UNKNOWN;
        Set<String> sip = new HashSet<>(Set.of("UDP"));
        String site = null;
        String domain = name.equals("caller") ? "a.example" : "b.example";
        boolean http = false;
        MediaTransport edge = null;
        boolean udpUp = false;
        for (String token : spec.trim().split("\\s+")) {
            String[] kv = token.split("=", 2);
            switch (kv[0]) {
                case "nat" -> nat = BEHIND_NAT;
                case "public" -> nat = NatVerdict.PUBLIC;
                case "map" -> mapping = behaviour(kv[1]);
                case "filt" -> filtering = behaviour(kv[1]);
                case "send" -> send = ability(kv[1]);
                case "recv" -> receive = ability(kv[1]);
                case "site" -> site = kv[1];
                case "dom" -> domain = kv[1];
                case "sip" -> sip = new HashSet<>(List.of(kv[1].split(",")));
                case "http" -> http = true;
                case "edge" -> edge = MediaTransport.parse(kv[1]);
                case "up" -> udpUp = kv[1].equals("udp");
                default -> throw new IllegalArgumentException("unknown leg token " + token);
            }
        }
        if (nat == null) {
            throw new IllegalArgumentException("say nat or public: " + spec);
        }
        return new LegEvidence(name, domain, new LegCapabilities(nat, send, receive, mapping, filtering, sip, site, http, edge, udpUp));
    }

    /** {@code "auto"}, {@code "always"}, {@code "never"}, optionally {@code "nopunch"} or {@code "nopunch=b.example"}. */
    static MediaPolicyConfig policy(String spec) {
        String[] tokens = spec.trim().split("\\s+");
        MediaPolicy mode = MediaPolicy.valueOf(tokens[0].toUpperCase());
        boolean punching = true;
        Set<String> off = new HashSet<>();
        for (int i = 1; i < tokens.length; i++) {
            if (tokens[i].equals("nopunch")) {
                punching = false;
            } else if (tokens[i].startsWith("nopunch=")) {
                off.add(tokens[i].substring("nopunch=".length()));
            } else {
                throw new IllegalArgumentException("unknown policy token " + tokens[i]);
            }
        }
        return new MediaPolicyConfig(mode, List.of(), punching, off);
    }

    /** {@code "all"} (every path offered), {@code "udp"} (today's), or e.g. {@code "udp,tcp"}. */
    static RelayCapabilities relay(String spec) {
        if (spec.equals("all")) {
            return EVERYTHING;
        }
        Set<MediaPath> offers = new HashSet<>();
        for (String medium : spec.split(",")) {
            offers.add(medium.equals("punch") ? MediaPath.PUNCH : MediaPath.valueOf("RELAY_" + medium.toUpperCase()));
        }
        return new RelayCapabilities(offers);
    }

    private static NatBehaviour behaviour(String text) {
        NatBehaviour b = BEHAVIOURS.get(text);
        if (b == null) {
            throw new IllegalArgumentException("unknown NAT behaviour " + text);
        }
        return b;
    }

    private static Ability ability(String text) {
        Ability a = ABILITIES.get(text);
        if (a == null) {
            throw new IllegalArgumentException("unknown ability " + text);
        }
        return a;
    }
}
