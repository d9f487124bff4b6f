package io.pinhole.edge.probe;

/**
 * What the probe found getting out: whether the relay's STUN port answered over UDP, whether the
 * relay saw that STUN request although no answer came back (UDP gets out, not in: asked over TCP),
 * and whether a TLS handshake, and an HTTP exchange (directly, and through the forward proxy when
 * one is configured), reached the relay.
 */
public record ProbeResult(boolean udpAnswered, boolean udpSeen, boolean tls, boolean http, boolean httpViaProxy) {

    /** A probe whose UDP, if unanswered, was not seen by the relay either. */
    public ProbeResult(boolean udpAnswered, boolean tls, boolean http, boolean httpViaProxy) {
        this(udpAnswered, udpAnswered, tls, http, httpViaProxy);
    }
}
