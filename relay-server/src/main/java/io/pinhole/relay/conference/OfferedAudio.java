package io.pinhole.relay.conference;

import io.pinhole.relay.sdp.Direction;
import io.pinhole.relay.sdp.MediaFormats;
import io.pinhole.relay.sdp.SdpException;
import io.pinhole.relay.sdp.SdpMedia;
import io.pinhole.relay.sdp.SdpParser;
import io.pinhole.relay.sdp.SessionDescription;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a party's offer means for the mixer: the codec chosen (the first of PCMU/0 and PCMA/8 in
 * the offer's order), its telephone-event payload type, where to send, and its hold state.
 * Pure function of the SDP.
 *
 * @param codec          the chosen codec
 * @param telephoneEvent the offered telephone-event payload type, or -1
 * @param destination    the offer's RTP address, or null when it holds with c=0.0.0.0
 * @param held           sendonly, inactive or c=0.0.0.0: neither heard nor sent the mix
 * @param listenOnly     recvonly: sent the mix, not heard
 * @param answerDirection the direction attribute of our answer
 */
record OfferedAudio(G711 codec, int telephoneEvent, InetSocketAddress destination, boolean held,
                    boolean listenOnly, Direction answerDirection) {

    static OfferedAudio parse(String sdp) throws ConferenceException {
        SessionDescription parsed;
        try {
            parsed = SdpParser.parse(sdp);
        } catch (SdpException e) {
            throw new ConferenceException("invalid sdp: " + e.getMessage());
        }
        List<MediaFormats> formats = MediaFormats.parse(sdp);
        for (SdpMedia m : parsed.media()) {
            if (!m.type().equals("audio") || m.port() == 0) {
                continue;
            }
            if (!m.protocol().equals("RTP/AVP") && !m.protocol().equals("RTP/AVPF")) {
                throw new ConferenceException("no common codec: the mixer speaks plain RTP/AVP, the offer "
                        + m.protocol());
            }
            MediaFormats f = formats.get(m.index());
            G711 codec = null;
            for (int pt : f.order()) {
                codec = G711.ofPayloadType(pt);
                if (codec != null) {
                    break;
                }
            }
            if (codec == null) {
                throw new ConferenceException("no common codec: the mixer takes PCMU/0 or PCMA/8, the offer has "
                        + f.order());
            }
            boolean byAddress = m.onHoldByAddress();
            Direction d = m.direction();
            boolean held = byAddress || d == Direction.SENDONLY || d == Direction.INACTIVE;
            InetSocketAddress to = byAddress ? null : new InetSocketAddress(m.address(), m.port());
            return new OfferedAudio(codec, f.telephoneEvent(), to, held, d == Direction.RECVONLY, answer(d, byAddress));
        }
        throw new ConferenceException("no common codec: the offer has no audio stream");
    }

    private static Direction answer(Direction offered, boolean holdByAddress) {
        return switch (offered) {
            case SENDONLY -> Direction.RECVONLY;
            case RECVONLY -> Direction.SENDONLY;
            case INACTIVE -> Direction.INACTIVE;
            // old-style hold (c=0.0.0.0 with sendrecv) is a sendonly offer in effect
            case SENDRECV -> holdByAddress ? Direction.RECVONLY : Direction.SENDRECV;
        };
    }
}
