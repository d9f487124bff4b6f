package io.pinhole.relay.control;

import io.pinhole.relay.call.CallException;
import io.pinhole.relay.call.OfferAnswer;
import io.pinhole.relay.call.SdpExchange;
import java.util.Map;

/** {@code offer}: allocate the call's ports and return the offer rewritten to the relay. */
final class OfferCommand implements NgCommand {

    private final OfferAnswer offerAnswer;
    private final MediaOptionsParser options;

    OfferCommand(OfferAnswer offerAnswer, MediaOptionsParser options) {
        this.offerAnswer = offerAnswer;
        this.options = options;
    }

    @Override
    public String name() {
        return "offer";
    }

    @Override
    public Map<String, Object> execute(NgRequest r) throws NgException {
        SdpExchange x = new SdpExchange(r.require("call-id"), r.require("from-tag"), emptyToNull(r.string("to-tag")),
                r.require("sdp", "No SDP body in message"), options.parse(r));
        try {
            return Map.of("result", "ok", "sdp", offerAnswer.offer(x));
        } catch (CallException e) {
            throw new NgException(e.getMessage());
        }
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
