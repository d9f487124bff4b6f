package io.pinhole.relay.media;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.pinhole.relay.sdp.PayloadTypes;
import java.net.InetSocketAddress;

/**
 * One side of one media stream at the relay: the RTP/RTCP port pair that side sends to, where its
 * media goes, what was latched, and its counters.
 *
 * <p>Threading: both channels of an endpoint and of its {@link #peer()} are registered on the same
 * {@link EventLoop} (the call's), so forwarding between them never crosses threads.
 * <ul>
 *   <li>{@code sdp*}, {@code rtcpMux}, {@code policy}, {@code quiet}, {@code disabled},
 *       {@code formats}, {@code rtpProfile}, {@code rtcpTap}: written by the control thread, read by the event loop;
 *       volatile.</li>
 *   <li>latched addresses: written only by the event loop, read by the control thread for
 *       {@code query}; volatile.</li>
 *   <li>counters and {@code lastPacketNanos}: written only by the event loop (single writer, plain
 *       fields, no per-packet fence; {@code dropped} by both handlers of a socket, the STUN one
 *       and the forwarding one, which run on that same loop); the control thread reads them
 *       racily for statistics, which only ever lag a little (64-bit writes are atomic on the
 *       64-bit JVMs we run on).</li>
 *   <li>keepalive state ({@code rtpOutNanos}, {@code rtcpOutNanos}, {@code keepalive*}): written
 *       and read only by the event loop ({@link ForwardingHandler} and the loop's
 *       {@link KeepaliveWheel}); the two keepalive counters are read racily like the others.</li>
 *   <li>{@code stream} (the egress of a TCP/TLS connection bound to this side): written only by
 *       the event loop, when a connection binds or goes; volatile so the control thread may read
 *       it for {@code query}.</li>
 * </ul>
 *
 * <p>Where media for this side goes is its {@link #egress()}: its own UDP ports, or, while a
 * TCP/TLS connection is bound to the side, that connection. The rule is simple on purpose: a
 * connection bound to a side takes all of that side's downstream media, whether or not the side
 * also latched a UDP source; what the side sends over UDP is still accepted and forwarded.</p>
 */
public final class Endpoint {

    private final int rtpPort;
    private final EventLoop loop;
    private Channel rtp;
    private Channel rtcp;
    private Endpoint peer;
    private final UdpEgress udp = new UdpEgress(this);
    private volatile MediaEgress stream;

    private volatile InetSocketAddress sdpRtp;
    private volatile InetSocketAddress sdpRtcp;
    private volatile boolean rtcpMux;
    private volatile LatchPolicy policy;
    private volatile boolean quiet;
    private volatile String mediaType = "audio";
    private volatile String protocol = "RTP/AVP";
    private volatile boolean rtpProfile = true;
    private volatile boolean disabled;
    private volatile PayloadTypes formats = PayloadTypes.NONE;
    private volatile RtcpTap rtcpTap;
    private volatile IceCredentials ice;

    volatile InetSocketAddress latchedRtp;
    volatile InetSocketAddress latchedRtcp;
    int latchedSsrc;

    long packetsIn;
    long bytesIn;
    long packetsOut;
    long bytesOut;
    long dropped;
    long lastPacketNanos;
    /** RTCP packets among {@code packetsIn}. */
    long rtcpIn;
    /** The last RTP packet's SSRC (high 32 bits) and sequence number (low 16), -1 before any. */
    long lastRtp = -1;
    /** The last SR/RR this side sent: written by the event loop, read by {@code query}. */
    volatile ReceptionReport lastReport;

    /** Last packet the relay sent towards this side on its RTP port (media or keepalive), or its RTP latch time. */
    long rtpOutNanos;
    /** The same for the RTCP port (unused while RTCP is muxed: it then travels on the RTP port). */
    long rtcpOutNanos;
    /** In its loop's {@link KeepaliveWheel} (from its first latch until its sockets close). */
    boolean keepaliveWatched;
    int keepaliveSsrc;
    int keepaliveSeq;
    int keepaliveTimestampBase;
    long keepalives;
    long keepaliveBytes;

    public Endpoint(int rtpPort, EventLoop loop, LatchPolicy policy) {
        this.rtpPort = rtpPort;
        this.loop = loop;
        this.policy = policy;
    }

    /** Control thread, before the endpoint is bound: who sees this side's RTCP (null = nobody). */
    public void rtcpTap(RtcpTap tap) {
        this.rtcpTap = tap;
    }

    RtcpTap rtcpTap() {
        return rtcpTap;
    }

    /** Links two endpoints of one stream; called once, before any channel is bound. */
    public static void link(Endpoint a, Endpoint b) {
        a.peer = b;
        b.peer = a;
    }

    void channels(Channel rtpChannel, Channel rtcpChannel) {
        this.rtp = rtpChannel;
        this.rtcp = rtcpChannel;
    }

    /** Where media for this side goes on the given component, or null when unknown. */
    InetSocketAddress destination(boolean rtcpComponent) {
        if (rtcpComponent && !rtcpMux) {
            InetSocketAddress l = latchedRtcp;
            return l != null && policy.symmetric() ? l : sdpRtcp;
        }
        InetSocketAddress l = latchedRtp;
        return l != null && policy.symmetric() ? l : sdpRtp;
    }

    Channel outChannel(boolean rtcpComponent) {
        return rtcpComponent && !rtcpMux ? rtcp : rtp;
    }

    /** Event loop: where this side's media goes now (a bound TCP/TLS connection, else its UDP ports). */
    public MediaEgress egress() {
        MediaEgress s = stream;
        return s != null ? s : udp;
    }

    /** Event loop: from now on this side's media goes over this connection's egress. */
    public void attachStream(MediaEgress egress) {
        this.stream = egress;
    }

    /** Event loop: the connection went; back to UDP unless a newer connection took over already. */
    public void detachStream(MediaEgress egress) {
        if (stream == egress) {
            stream = null;
        }
    }

    /** Control thread: the address from the latest SDP (and the ng flags that chose it). */
    public void remote(InetSocketAddress rtpAddress, InetSocketAddress rtcpAddress, boolean mux, boolean quietNow) {
        this.sdpRtp = rtpAddress;
        this.sdpRtcp = rtcpAddress;
        this.rtcpMux = mux;
        this.quiet = quietNow;
        this.disabled = false;
    }

    /**
     * Control thread: the latest SDP disabled this stream (port 0): no destination, and no
     * keepalives towards it either, until an SDP gives it a port again.
     */
    /**
     * The relay's ICE credentials in the SDP this side's phone got (ICE=force), so its signed
     * checks on these ports are answered as an ICE-lite agent; null when the SDP carried no ICE.
     */
    public void ice(IceCredentials credentials) {
        this.ice = credentials;
    }

    public IceCredentials ice() {
        return ice;
    }

    public void disable() {
        this.sdpRtp = null;
        this.sdpRtcp = null;
        this.rtcpMux = false;
        this.quiet = false;
        this.disabled = true;
    }

    /** Control thread: the payload types this side's latest SDP lists for the stream. */
    public void formats(PayloadTypes types) {
        this.formats = types;
    }

    public void policy(LatchPolicy newPolicy) {
        this.policy = newPolicy;
    }

    public void describe(String type, String proto) {
        this.mediaType = common(type);
        this.protocol = common(proto);
        // RTP/AVP, RTP/SAVPF, UDP/TLS/RTP/SAVPF...; not udptl (T.38) or other non-RTP transports
        this.rtpProfile = proto.contains("RTP/");
    }

    /**
     * The shared constant for the usual m= line tokens: the parsed ones are fresh strings cut out
     * of each SDP, which every endpoint of an established call would otherwise keep (2 x ~48 bytes).
     */
    private static String common(String token) {
        return switch (token) {
            case "audio" -> "audio";
            case "video" -> "video";
            case "RTP/AVP" -> "RTP/AVP";
            case "RTP/AVPF" -> "RTP/AVPF";
            case "RTP/SAVP" -> "RTP/SAVP";
            case "RTP/SAVPF" -> "RTP/SAVPF";
            case "UDP/TLS/RTP/SAVPF" -> "UDP/TLS/RTP/SAVPF";
            default -> token;
        };
    }

    public LatchPolicy policy() {
        return policy;
    }

    public int rtpPort() {
        return rtpPort;
    }

    public int rtcpPort() {
        return rtpPort + 1;
    }

    public EventLoop loop() {
        return loop;
    }

    public Endpoint peer() {
        return peer;
    }

    public Channel rtpChannel() {
        return rtp;
    }

    public Channel rtcpChannel() {
        return rtcp;
    }

    public boolean rtcpMux() {
        return rtcpMux;
    }

    public boolean quiet() {
        return quiet;
    }

    public boolean disabled() {
        return disabled;
    }

    public PayloadTypes formats() {
        return formats;
    }

    /**
     * Whether keepalives may go to this side at all: an RTP stream (a keepalive is an RTP or RTCP
     * packet) that is not disabled, whose media goes to the latched address (symmetric): the
     * keepalive follows the media, never to an address known only from SDP.
     */
    boolean keepaliveWanted() {
        return rtpProfile && !disabled && policy.symmetric();
    }

    public String mediaType() {
        return mediaType;
    }

    public String protocol() {
        return protocol;
    }

    public InetSocketAddress sdpAddress() {
        return sdpRtp;
    }

    public InetSocketAddress sdpRtcpAddress() {
        return sdpRtcp;
    }

    public InetSocketAddress latchedRtp() {
        return latchedRtp;
    }

    public InetSocketAddress latchedRtcp() {
        return latchedRtcp;
    }

    public long packetsIn() {
        return packetsIn;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long packetsOut() {
        return packetsOut;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public long dropped() {
        return dropped;
    }

    public long rtcpIn() {
        return rtcpIn;
    }

    /** The SSRC of the last RTP packet from this side, -1 before any. */
    public long lastRtpSsrc() {
        long l = lastRtp;
        return l < 0 ? -1 : l >>> 16;
    }

    /** The sequence number of the last RTP packet from this side, -1 before any. */
    public int lastRtpSeq() {
        long l = lastRtp;
        return l < 0 ? -1 : (int) (l & 0xffff);
    }

    /** The last sender or receiver report from this side, or null. */
    public ReceptionReport lastReport() {
        return lastReport;
    }

    public long lastPacketNanos() {
        return lastPacketNanos;
    }

    /** Keepalive packets sent towards this side (RTP and RTCP port together); not in the media counters. */
    public long keepalives() {
        return keepalives;
    }

    public long keepaliveBytes() {
        return keepaliveBytes;
    }
}
