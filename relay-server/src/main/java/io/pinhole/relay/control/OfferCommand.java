package io.pinhole.relay.control;

import io.pinhole.relay.call.CallException;
import io.pinhole.relay.call.OfferAnswer;
import io.pinhole.relay.call.SdpExchange;
import java.util.Map;

/**
 * {@code offer}: allocate the call's ports and return the offer rewritten to the relay; with
 * {@code media-transport} also the offerer's stream token, with {@code answerer-media-transport}
 * the answerer's (see {@link StreamGrants}).
 */
final class OfferCommand implements NgCommand {

    private final OfferAnswer offerAnswer;
    private final MediaOptionsParser options;
    private final StreamGrants streams;

    OfferCommand(OfferAnswer offerAnswer, MediaOptionsParser options, StreamGrants streams) {
        this.offerAnswer = offerAnswer;
        this.options = options;
        this.streams = streams;
    }

    @Override
    public String name() {
        return "offer";
    }

    @Override
    public Map<String, Object> execute(NgRequest r) throws NgException {
        SdpExchange x = new SdpExchange(r.require("call-id"), r.require("from-tag"), emptyToNull(r.string("to-tag")),
                r.require("sdp", "No SDP body in message"), options.parse(r));
        boolean stream = streams.requested(r);
        boolean answererStream = streams.answererRequested(r);
        Map<String, Object> reply;
        try {
            reply = Map.of("result", "ok", "sdp", offerAnswer.offer(x));
        } catch (CallException e) {
            throw new NgException(e.getMessage());
        }
        if (stream) {
            reply = streams.grant(reply, x.callId(), x.fromTag());
        }
        return answererStream ? streams.grantAnswerer(reply, x.callId(), x.fromTag()) : reply;
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
