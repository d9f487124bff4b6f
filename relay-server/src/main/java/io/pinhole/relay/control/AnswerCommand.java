package io.pinhole.relay.control;

import io.pinhole.relay.call.CallException;
import io.pinhole.relay.call.OfferAnswer;
import io.pinhole.relay.call.SdpExchange;
import java.util.Map;

/**
 * {@code answer}: link the answerer to the offered call and return the answer rewritten to the
 * relay; with {@code media-transport} also the answerer's stream token (see {@link StreamGrants}).
 */
final class AnswerCommand implements NgCommand {

    private final OfferAnswer offerAnswer;
    private final MediaOptionsParser options;
    private final StreamGrants streams;

    AnswerCommand(OfferAnswer offerAnswer, MediaOptionsParser options, StreamGrants streams) {
        this.offerAnswer = offerAnswer;
        this.options = options;
        this.streams = streams;
    }

    @Override
    public String name() {
        return "answer";
    }

    @Override
    public Map<String, Object> execute(NgRequest r) throws NgException {
        SdpExchange x = new SdpExchange(r.require("call-id"), r.require("from-tag"), r.require("to-tag"),
                r.require("sdp", "No SDP body in message"), options.parse(r));
        boolean stream = streams.requested(r);
        Map<String, Object> reply;
        try {
            reply = Map.of("result", "ok", "sdp", offerAnswer.answer(x));
        } catch (CallException e) {
            throw new NgException(e.getMessage());
        }
        return stream ? streams.grant(reply, x.callId(), x.toTag()) : reply;
    }
}
