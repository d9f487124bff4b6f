package io.pinhole.proxy.media;

/**
 * What the relay does with ICE in the SDP it hands each phone ({@code pinhole.media.ice}, the ng
 * {@code ICE} option of every offer and answer).
 */
public enum IcePolicy {
    /**
     * The phone's candidates go and the relay's own take their place: its media address as the one
     * host candidate per component, {@code a=ice-lite}, its own credentials for that leg. An ICE
     * phone checks that one pair, which the relay answers, and talks; a phone without ICE ignores
     * the attributes (RFC 4566: unknown ones are ignored) and sends to c=/m= as before.
     */
    FORCE("force"),
    /**
     * Every ICE attribute goes. A phone without ICE is unaffected; an ICE phone (baresip with
     * {@code medianat=ice}) takes the answer as "ICE not supported by peer" and sends no media.
     */
    REMOVE("remove");

    private final String ng;

    IcePolicy(String ng) {
        this.ng = ng;
    }

    /** The value of the ng {@code ICE} key (rtpengine's and our relay's spelling). */
    public String ng() {
        return ng;
    }
}
