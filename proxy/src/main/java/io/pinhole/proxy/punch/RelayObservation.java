package io.pinhole.proxy.punch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the relay's {@code query} says about the two phones of one call: per side, its (first)
 * stream's latched address and the packets received from it.
 *
 * @param caller null when the reply has no side with the caller's tag
 * @param callee null when the reply has no side with the callee's tag
 */
public record RelayObservation(Stream caller, Stream callee) {

    /**
     * One phone's media stream at the relay.
     *
     * @param address where its packets come from once latched (its NAT's public mapping), else the SDP's
     * @param latched whether the relay has seen its packets and latched onto their source
     * @param packets packets received from it so far
     * @param streams how many media streams the side has (punching moves one audio stream)
     * @param sdpPort the port its SDP gave (the relay's "advertised endpoint"), 0 when not shown
     * @param rtcpPackets the RTCP packets among {@code packets} (a phone keeps sending RTCP to the relay after a move)
     * @param lastRtp the last RTP packet the relay got from it, or null (an older relay, or none yet)
     * @param report  its last RTCP sender or receiver report at the relay, or null
     */
    public record Stream(String address, int port, boolean latched, long packets, int streams, int sdpPort,
                         long rtcpPackets, LastRtp lastRtp, Report report) {

        public Stream(String address, int port, boolean latched, long packets, int streams, int sdpPort) {
            this(address, port, latched, packets, streams, sdpPort, 0, null, null);
        }

        /** The media packets: what a phone that moved direct no longer sends to the relay. */
        public long rtpPackets() {
            return packets - rtcpPackets;
        }
    }

    /** The SSRC and sequence number of the last RTP packet the relay got from a phone (and forwarded to the other). */
    public record LastRtp(long ssrc, int seq) {
    }

    /**
     * A phone's last RTCP report: what it heard of each source ({@link Block}), and how long before
     * the query it reached the relay.
     */
    public record Report(long ageMillis, List<Block> blocks) {
    }

    /** One report block: the extended highest sequence number the phone received from {@code ssrc}. */
    public record Block(long ssrc, long highestSeq, long lost) {
    }

    /** Reads a {@code query} reply (rtpengine's layout: {@code tags → medias → streams}). */
    public static RelayObservation from(Map<String, Object> reply, String callerTag, String calleeTag) {
        Object tags = reply == null ? null : reply.get("tags");
        if (!(tags instanceof Map<?, ?> byTag)) {
            return new RelayObservation(null, null);
        }
        return new RelayObservation(stream(byTag.get(callerTag)), stream(byTag.get(calleeTag)));
    }

    private static Stream stream(Object side) {
        if (!(side instanceof Map<?, ?> tag) || !(tag.get("medias") instanceof List<?> medias) || medias.isEmpty()
                || !(medias.get(0) instanceof Map<?, ?> media) || !(media.get("streams") instanceof List<?> streams)
                || streams.isEmpty() || !(streams.get(0) instanceof Map<?, ?> stream)) {
            return null;
        }
        String address = null;
        int port = 0;
        if (stream.get("endpoint") instanceof Map<?, ?> endpoint && endpoint.get("address") instanceof String a) {
            address = a;
            port = (int) number(endpoint.get("port"));
        }
        int sdpPort = stream.get("advertised endpoint") instanceof Map<?, ?> advertised
                ? (int) number(advertised.get("port")) : 0;
        long packets = stream.get("stats") instanceof Map<?, ?> stats ? number(stats.get("packets")) : 0;
        long rtcpPackets = 0;
        Report report = null;
        if (stream.get("rtcp") instanceof Map<?, ?> rtcp) {
            rtcpPackets = number(rtcp.get("packets"));
            if (rtcp.get("report") instanceof Map<?, ?> r && r.get("blocks") instanceof List<?> blocks) {
                List<Block> read = new ArrayList<>();
                for (Object b : blocks) {
                    if (b instanceof Map<?, ?> block) {
                        read.add(new Block(number(block.get("ssrc")), number(block.get("highest seq")),
                                number(block.get("lost"))));
                    }
                }
                report = new Report(number(r.get("age ms")), List.copyOf(read));
            }
        }
        LastRtp lastRtp = stream.get("last rtp") instanceof Map<?, ?> rtp && rtp.get("seq") instanceof Number seq
                ? new LastRtp(number(rtp.get("ssrc")), seq.intValue()) : null;
        return new Stream(address, port, number(stream.get("latched")) == 1, packets, medias.size(), sdpPort,
                rtcpPackets, lastRtp, report);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
