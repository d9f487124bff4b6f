package io.pinhole.relay.tcp;

/**
 * The limits of media connections (see {@code RelayProperties}).
 *
 * @param helloTimeoutNanos a connection without a valid hello by then is closed (TLS handshake included)
 * @param idleTimeoutNanos  a bound connection that receives nothing for this long is closed
 * @param maxConnections    open connections, TCP and TLS together
 * @param perCall           connections bound to one call
 * @param maxPacket         the largest RTP/RTCP packet in a frame
 */
public record StreamLimits(long helloTimeoutNanos, long idleTimeoutNanos, int maxConnections, int perCall,
                           int maxPacket) {
}
