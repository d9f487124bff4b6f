package io.pinhole.relay.control;

import io.pinhole.relay.call.CallException;
import io.pinhole.relay.call.OfferAnswer;
import io.pinhole.relay.call.SdpExchange;
import java.util.Map;

/** {@code answer}: link the answerer to the offered call and return the answer rewritten to the relay. */
final class AnswerCommand implements NgCommand {

    private final OfferAnswer offerAnswer;
    private final MediaOptionsParser options;

    AnswerCommand(OfferAnswer offerAnswer, MediaOptionsParser options) {
        this.offerAnswer = offerAnswer;
        this.options = options;
    }

    @Override
    public String name() {
        return "answer";
    }

    @Override
    public Map<String, Object> execute(NgRequest r) throws NgException {
        SdpExchange x = new SdpExchange(r.require("call-id"), r.require("from-tag"), r.require("to-tag"),
                r.require("sdp", "No SDP body in message"), options.parse(r));
        try {
            return Map.of("result", "ok", "sdp", offerAnswer.answer(x));
        } catch (CallException e) {
            throw new NgException(e.getMessage());
        }
    }
}
