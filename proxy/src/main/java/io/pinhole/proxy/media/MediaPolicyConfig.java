package io.pinhole.proxy.media;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's say in media decisions.
 *
 * @param mode                 relay when planned, always, or never
 * @param trustedRelays        media addresses of relays (ours or a partner's) whose SDP needs no second relay
 * @param punching             false: never plan PUNCH
 * @param noPunchingDomains    domains whose calls are never punched
 */
public record MediaPolicyConfig(MediaPolicy mode, List<String> trustedRelays, boolean punching,
                                Set<String> noPunchingDomains) {

    public MediaPolicyConfig {
        Objects.requireNonNull(mode, "mode");
        // a blank entry is what an empty property binds to: it trusts nothing
        trustedRelays = trustedRelays.stream().filter(a -> !a.isBlank()).toList();
        noPunchingDomains = noPunchingDomains.stream().filter(d -> !d.isBlank()).map(d -> d.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    public static MediaPolicyConfig of(MediaPolicy mode, List<String> trustedRelays, PunchingProperties punching) {
        return new MediaPolicyConfig(mode, trustedRelays, punching.enabled(), Set.copyOf(punching.disabledDomains()));
    }

    /** Why punching is off for a call between these domains, or null when it is allowed. */
    String punchingOff(String callerDomain, String calleeDomain) {
        if (!punching) {
            return "punching off";
        }
        for (String domain : new String[]{callerDomain, calleeDomain}) {
            if (domain != null && noPunchingDomains.contains(domain)) {
                return "punching off for " + domain;
            }
        }
        return null;
    }
}
