package io.pinhole.proxy.probe;

import java.time.Instant;

/**
 * What one registration's network lets through, as seed 004's probe asks it: can the phone send
 * UDP (its REGISTER came over UDP), does unsolicited UDP from another port of ours reach it, does
 * its NAT keep one public port for every destination, and over which transport it signals.
 *
 * @param sendsUdp  the registration came over UDP
 * @param mapping   the NAT's mapping behaviour where observable
 * @param filtering what gets in unsolicited
 * @param transport the SIP transport of the registration flow
 * @param reason    how it was found, in words
 * @param probedAt  when the filtering probe ended; null while it runs or when it was not run
 */
public record Capabilities(boolean sendsUdp, Mapping mapping, Filtering filtering, String transport, String reason,
                           Instant probedAt) {

    /** Whether unsolicited UDP from another port of ours reached the phone; null when not known. */
    @com.fasterxml.jackson.annotation.JsonProperty("unsolicitedUdp")
    public Boolean unsolicitedUdp() {
        return switch (filtering) {
            case NONE, PORT_INDEPENDENT -> true;
            case ADDRESS_AND_PORT_DEPENDENT -> false;
            case UNKNOWN -> null;
        };
    }
}
