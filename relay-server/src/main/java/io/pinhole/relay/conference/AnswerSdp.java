package io.pinhole.relay.conference;

import io.pinhole.relay.sdp.Direction;
import java.util.Locale;

/**
 * The SDP answer a party gets: the relay's address and the party's port, exactly one codec,
 * telephone-event when offered, 20 ms frames, and the direction matching the offer's hold
 * state. Written whole rather than rewritten from the offer: the mixer is the far end here.
 */
final class AnswerSdp {

    private AnswerSdp() {
    }

    static String build(String address, int port, OfferedAudio offer, long sessionId, long version) {
        String family = address.indexOf(':') >= 0 ? "IP6" : "IP4";
        G711 codec = offer.codec();
        StringBuilder sb = new StringBuilder(256);
        sb.append("v=0\r\n");
        sb.append("o=- ").append(sessionId).append(' ').append(version).append(" IN ").append(family).append(' ')
                .append(address).append("\r\n");
        sb.append("s=pinhole conference\r\n");
        sb.append("c=IN ").append(family).append(' ').append(address).append("\r\n");
        sb.append("t=0 0\r\n");
        sb.append("m=audio ").append(port).append(" RTP/AVP ").append(codec.payloadType());
        if (offer.telephoneEvent() >= 0) {
            sb.append(' ').append(offer.telephoneEvent());
        }
        sb.append("\r\n");
        sb.append("a=rtpmap:").append(codec.payloadType()).append(' ').append(codec.encoding()).append("/8000\r\n");
        if (offer.telephoneEvent() >= 0) {
            sb.append("a=rtpmap:").append(offer.telephoneEvent()).append(" telephone-event/8000\r\n");
            sb.append("a=fmtp:").append(offer.telephoneEvent()).append(" 0-15\r\n");
        }
        sb.append("a=ptime:20\r\n");
        sb.append("a=").append(direction(offer.answerDirection())).append("\r\n");
        return sb.toString();
    }

    private static String direction(Direction d) {
        return d.name().toLowerCase(Locale.ROOT);
    }
}
