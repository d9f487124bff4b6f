package io.pinhole.relay.media;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.pinhole.relay.sdp.PayloadTypes;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps the phones' NAT mappings towards the relay open while nothing flows towards them (hold,
 * {@code sendonly}/{@code inactive} on the other side, silence suppression): the visitor of one
 * event loop's {@link KeepaliveWheel}, run on that loop.
 *
 * <ul>
 *   <li><b>When</b>: per port (RTP, and RTCP when it has a port of its own), once the relay has
 *       sent nothing towards that side on it for one interval: no media forwarded, no keepalive.
 *       The clock starts at the latch, when the phone's own packet opened the mapping. A side that
 *       receives media gets none; an idle one gets one per interval, as RFC 6263 §6 asks ("only
 *       ... when it does not send regular RTP packets").</li>
 *   <li><b>To whom</b>: only to the address the port latched (the phone's NAT mapping, learned
 *       from its own packets), and only while media for that side goes there (symmetric
 *       latching, stream not disabled, an RTP profile). Never to an address known only from SDP:
 *       anyone can write any address into SDP, and the relay must not be made to send to it
 *       (no open relay, no reflection).</li>
 *   <li><b>From</b>: the side's own relay port, the one the phone sends to: the phone's NAT lets in
 *       only what comes from there (and most NATs refresh a mapping with it; RFC 4787 only
 *       requires them to refresh on outbound packets, so a NAT that refreshes on outbound only
 *       keeps nothing open for these, whatever anyone sends).</li>
 *   <li><b>What</b>: see {@link KeepalivePacket}.</li>
 * </ul>
 * A keepalive is not media: it is not forwarded (it is made here, not received), changes no
 * latch, moves neither {@code lastPacketNanos} (the media timeout) nor the packet counters, and
 * counts in the endpoint's own keepalive counters. One pooled buffer and one datagram wrapper
 * per keepalive, written and flushed at once (each goes out of a different socket).
 */
final class KeepaliveSender implements KeepaliveWheel.Visitor {

    private final long intervalNanos;
    private final byte[] cname;
    private final int rtcpLength;

    /** @param cname the RTCP CNAME of the relay's keepalive sources (1-255 bytes) */
    KeepaliveSender(long intervalNanos, byte[] cname) {
        if (cname.length == 0 || cname.length > 255) {
            throw new IllegalArgumentException("an RTCP CNAME has 1-255 bytes, was " + cname.length);
        }
        this.intervalNanos = intervalNanos;
        this.cname = cname.clone();
        this.rtcpLength = KeepalivePacket.rtcpLength(cname.length);
    }

    @Override
    public long visit(Endpoint e, long nowNanos) {
        Channel rtp = e.rtpChannel();
        if (rtp == null || !rtp.isOpen()) {
            return DROP; // the call is gone
        }
        long next = nowNanos + intervalNanos;
        if (!e.keepaliveWanted()) {
            return next;
        }
        InetSocketAddress rtpTo = e.latchedRtp;
        if (rtpTo != null) {
            next = Math.min(next, rtp(e, rtp, rtpTo, nowNanos));
        }
        InetSocketAddress rtcpTo = e.latchedRtcp;
        Channel rtcp = e.rtcpChannel();
        if (rtcpTo != null && !e.rtcpMux() && rtcp != null) {
            next = Math.min(next, rtcp(e, rtcp, rtcpTo, nowNanos));
        }
        return next;
    }

    private long rtp(Endpoint e, Channel channel, InetSocketAddress to, long now) {
        long due = e.rtpOutNanos + intervalNanos;
        if (due - now > 0) {
            return due;
        }
        Endpoint peer = e.peer();
        int pt = KeepalivePacket.payloadType(e.formats(), peer == null ? PayloadTypes.NONE : peer.formats());
        if (pt < 0 || !channel.isWritable()) {
            return now + intervalNanos;
        }
        int ssrc = ssrc(e);
        ByteBuf buf = channel.alloc().ioBuffer(KeepalivePacket.RTP_LENGTH);
        KeepalivePacket.writeRtp(buf, pt, e.keepaliveSeq++, e.keepaliveTimestampBase + (int) (now / 125_000L), ssrc);
        channel.writeAndFlush(new DatagramPacket(buf, to), channel.voidPromise());
        e.rtpOutNanos = now;
        e.keepalives++;
        e.keepaliveBytes += KeepalivePacket.RTP_LENGTH;
        return now + intervalNanos;
    }

    private long rtcp(Endpoint e, Channel channel, InetSocketAddress to, long now) {
        long due = e.rtcpOutNanos + intervalNanos;
        if (due - now > 0) {
            return due;
        }
        if (!channel.isWritable()) {
            return now + intervalNanos;
        }
        int ssrc = ssrc(e);
        ByteBuf buf = channel.alloc().ioBuffer(rtcpLength);
        KeepalivePacket.writeRtcp(buf, ssrc, cname);
        channel.writeAndFlush(new DatagramPacket(buf, to), channel.voidPromise());
        e.rtcpOutNanos = now;
        e.keepalives++;
        e.keepaliveBytes += rtcpLength;
        return now + intervalNanos;
    }

    /**
     * The endpoint's keepalive SSRC: random, not 0, and never the SSRC the phone sends or the one
     * it receives (an RTP stack seeing its own SSRC from elsewhere treats it as a collision and
     * changes SSRC). Drawn on first use with a random first sequence number and timestamp.
     */
    private static int ssrc(Endpoint e) {
        Endpoint peer = e.peer();
        int theirs = peer == null ? 0 : peer.latchedSsrc;
        int ssrc = e.keepaliveSsrc;
        if (ssrc == 0 || ssrc == e.latchedSsrc || ssrc == theirs) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (ssrc == 0) {
                e.keepaliveSeq = random.nextInt(1 << 16);
                e.keepaliveTimestampBase = random.nextInt();
            }
            do {
                ssrc = random.nextInt();
            } while (ssrc == 0 || ssrc == e.latchedSsrc || ssrc == theirs);
            e.keepaliveSsrc = ssrc;
        }
        return ssrc;
    }
}
