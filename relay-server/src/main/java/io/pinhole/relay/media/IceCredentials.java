package io.pinhole.relay.media;

import io.pinhole.wire.stun.StunIntegrity;

/**
 * The relay's ICE username fragment and password toward one call leg (RFC 8445 section 5.3),
 * random per leg and stable across re-offers (a new pair would be an ICE restart). The password
 * never appears in {@link #toString} or a log: whoever knows it can make the relay answer checks.
 *
 * @param ufrag    what the phone puts before the colon of USERNAME in its checks to us
 * @param password the MESSAGE-INTEGRITY key of those checks
 */
public record IceCredentials(String ufrag, String password) {

    /** The short-term key, computed when asked (checks are rare: a few per call setup). */
    public byte[] key() {
        return StunIntegrity.key(password);
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + "]";
    }
}
