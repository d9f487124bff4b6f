package io.pinhole.edge.probe;

/**
 * What the probe found getting out: whether the relay's STUN port answered over UDP, and whether
 * a TLS handshake, and an HTTP exchange (directly, and through the forward proxy when one is
 * configured), reached the relay.
 */
public record ProbeResult(boolean udpAnswered, boolean tls, boolean http, boolean httpViaProxy) {
}
