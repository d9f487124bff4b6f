package io.pinhole.proxy.media;

import java.util.Locale;
import java.util.Objects;

/**
 * One leg as the planners see it.
 *
 * @param name         how reasons name it ("caller", "callee 198.51.100.7:5060/UDP"); callee legs are
 *                     looked up by it in the plan
 * @param domain       its SIP domain, for the per-domain punching switch; null when unknown
 * @param capabilities what its network lets through
 */
public record LegEvidence(String name, String domain, LegCapabilities capabilities) {

    public LegEvidence {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(capabilities, "capabilities");
        domain = domain == null ? null : domain.toLowerCase(Locale.ROOT);
    }

    boolean behindNat() {
        return capabilities.nat().behindNat();
    }
}
