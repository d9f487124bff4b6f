package io.pinhole.relay.media;

import io.netty.buffer.ByteBuf;

/**
 * Sees each RTCP packet a side sends, before it is forwarded (SIP capture's RTCP summaries). Called
 * on the call's event loop; it must read {@code rtcp} without consuming or releasing it, and never
 * block: RTCP is a packet every few seconds per stream, so copying it is affordable, waiting is not.
 */
@FunctionalInterface
public interface RtcpTap {

    void rtcp(Endpoint from, ByteBuf rtcp);
}
