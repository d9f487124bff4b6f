package io.pinhole.relay.conference;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The RTCP port of a party: open, so the phone's reports meet no ICMP errors, and otherwise
 * ignored (the mixer is the far end and keeps no RTCP state).
 */
@ChannelHandler.Sharable
final class RtcpSink extends ChannelInboundHandlerAdapter {

    static final RtcpSink INSTANCE = new RtcpSink();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a UDP socket carries on
    }
}
