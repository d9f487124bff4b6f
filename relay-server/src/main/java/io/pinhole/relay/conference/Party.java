package io.pinhole.relay.conference;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * One party of a room: one SIP dialog (call-id, from-tag), one RTP/RTCP port pair, its codec,
 * and its own outgoing RTP stream (SSRC, sequence, timestamp).
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>Identity, port and channels: set by the control thread before the party enters the mix,
 *       then only read.</li>
 *   <li>{@code codec}, {@code telephoneEvent}, {@code destination}, {@code held},
 *       {@code listenOnly}, {@code muted}: written by the control thread (re-offer, block media),
 *       read by the conference loop once per tick or packet; volatile.</li>
 *   <li>Everything else (jitter buffer, tone players, PIN entry, RTP state, frame buffers,
 *       counters, latch): written only by the conference loop, which runs both the party's
 *       sockets and the mixer tick; counters and the latch are read racily by the control thread
 *       for {@code query}, as relayed calls' counters are.</li>
 * </ul>
 */
public final class Party {

    private final String callId;
    private final String fromTag;
    private final String label;
    private final Room room;
    private final PinGate gate;

    volatile G711 codec;
    volatile int telephoneEvent;
    volatile InetSocketAddress destination;
    volatile boolean held;
    volatile boolean listenOnly;
    volatile boolean muted;

    private int rtpPort;
    private Channel rtp;
    private Channel rtcp;
    FrameOut out;

    final JitterBuffer jitter;
    final TelephoneEvents events = new TelephoneEvents();
    final TonePlayer tone = new TonePlayer();
    int promptCountdown = 25;

    final int ssrc;
    int seq;
    int timestamp;
    /** This tick's own frame, decoded; heard says whether it went into the room's sum. */
    final short[] own = new short[JitterBuffer.FRAME_BYTES];
    boolean heard;
    /** This tick's mix for this party, encoded. */
    final byte[] payload = new byte[JitterBuffer.FRAME_BYTES];

    volatile InetSocketAddress latched;
    long packetsIn;
    long bytesIn;
    long packetsOut;
    long bytesOut;
    long dropped;

    Party(String callId, String fromTag, String label, Room room, String pin, OfferedAudio offer, int jitterFrames,
          int ssrc, int firstSeq, int firstTimestamp) {
        this.callId = callId;
        this.fromTag = fromTag;
        this.label = label;
        this.room = room;
        this.gate = new PinGate(pin);
        this.jitter = new JitterBuffer(jitterFrames);
        this.ssrc = ssrc;
        this.seq = firstSeq & 0xFFFF;
        this.timestamp = firstTimestamp;
        apply(offer);
    }

    /** Control thread: the latest offer (first join or re-offer). */
    void apply(OfferedAudio offer) {
        this.codec = offer.codec();
        this.telephoneEvent = offer.telephoneEvent();
        this.destination = offer.destination();
        this.listenOnly = offer.listenOnly();
        this.held = offer.held();
    }

    /** Control thread, once, before the party enters the mix. */
    void bound(int port, Channel rtpChannel, Channel rtcpChannel) {
        this.rtpPort = port;
        this.rtp = rtpChannel;
        this.rtcp = rtcpChannel;
        this.out = rtpChannel == null ? null : new FrameOut(rtpChannel);
    }

    /** Conference loop: a key from the party's telephone-events. */
    void key(char key) {
        switch (gate.key(key)) {
            case JOINED -> room.joined(this);
            case WRONG -> tone.start(Tones.WRONG_PIN);
            default -> {
            }
        }
    }

    /** Where the mix goes: the latched source (symmetric RTP), else the SDP address; null = nowhere yet. */
    InetSocketAddress target() {
        InetSocketAddress l = latched;
        return l != null ? l : destination;
    }

    public String callId() {
        return callId;
    }

    public String fromTag() {
        return fromTag;
    }

    public String label() {
        return label;
    }

    public Room room() {
        return room;
    }

    public PartyState state() {
        return gate.state();
    }

    public int pinFailures() {
        return gate.failures();
    }

    public G711 codec() {
        return codec;
    }

    public boolean muted() {
        return muted;
    }

    public boolean held() {
        return held;
    }

    public int rtpPort() {
        return rtpPort;
    }

    public Channel rtpChannel() {
        return rtp;
    }

    public Channel rtcpChannel() {
        return rtcp;
    }

    public InetSocketAddress latchedAddress() {
        return latched;
    }

    public int ssrc() {
        return ssrc;
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

    /** Packets not mixed: wrong source, not RTP, unknown payload type or frame size. */
    public long dropped() {
        return dropped;
    }

    /** Frames dropped by the jitter buffer: late, duplicate, or overrun. */
    public long framesLate() {
        return jitter.late() + jitter.overruns();
    }
}
