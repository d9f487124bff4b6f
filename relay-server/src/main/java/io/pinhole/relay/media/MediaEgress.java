package io.pinhole.relay.media;

import io.netty.buffer.ByteBuf;

/**
 * Where one side's media goes: the transport seam under {@link Endpoint}. The forwarding code
 * hands a packet to the receiving side's egress and flushes it once per read batch, without
 * knowing whether the side is reached over its UDP ports ({@link UdpEgress}) or over a TCP/TLS
 * connection (the {@code tcp} package).
 *
 * <p>Both methods run only on the call's event loop. An implementation never blocks and never
 * queues without bound: when its transport cannot take more, it drops the packet, as a full UDP
 * socket would.
 */
public interface MediaEgress {

    /**
     * Queues one packet towards the side (not yet flushed).
     *
     * @param packet        an RTP or RTCP packet; the egress owns it from here and releases it
     *                      when it drops it
     * @param rtcpComponent the packet is RTCP (on the RTCP port, or muxed RTCP on the RTP port)
     * @return false when the packet was dropped (no destination, transport full or closed)
     */
    boolean write(ByteBuf packet, boolean rtcpComponent);

    /** Flushes what {@link #write} queued since the last flush. */
    void flush(long nowNanos);

    /** {@code udp}, {@code tcp} or {@code tls}: for {@code query} and, through it, the proxy's CDR. */
    String transport();
}
