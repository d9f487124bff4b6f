package io.pinhole.relay.sdp;

/** What to do with ICE attributes ({@code ICE} key of the ng protocol). */
public enum IceMode {
    /** Strip every ICE attribute: the peer then sends plain RTP to the relay. */
    REMOVE,
    /** Strip the peer's ICE attributes and offer the relay's own host candidates instead. */
    FORCE;
}
