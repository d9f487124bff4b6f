package io.pinhole.relay.control;

import io.pinhole.relay.conference.ConferenceException;
import io.pinhole.relay.conference.Conferences;
import io.pinhole.relay.conference.JoinRequest;
import io.pinhole.relay.conference.JoinResult;
import java.util.Map;

/**
 * {@code join}: a party enters a conference room (or re-offers), and gets the mixer's SDP answer
 * and its state ({@code lobby} with a PIN, else {@code joined}).
 */
final class JoinCommand implements NgCommand {

    private final Conferences conferences;

    JoinCommand(Conferences conferences) {
        this.conferences = conferences;
    }

    @Override
    public String name() {
        return "join";
    }

    @Override
    public Map<String, Object> execute(NgRequest r) throws NgException {
        String callId = r.require("call-id", "invalid: no call-id");
        String fromTag = r.require("from-tag", "invalid: no from-tag");
        String room = r.require("room", "invalid: no room");
        String sdp = r.require("sdp", "invalid: no sdp");
        String pin = OfferCommand.emptyToNull(r.string("pin"));
        int maxParties = 0;
        String max = r.string("max-parties");
        if (max != null) {
            try {
                maxParties = Integer.parseInt(max);
            } catch (NumberFormatException e) {
                throw new NgException("invalid max-parties: " + max);
            }
        }
        String label = r.string("label");
        r.list("flags"); // accepted as in offer; none changes a party
        try {
            JoinResult result = conferences.join(new JoinRequest(callId, fromTag, room, sdp, pin, maxParties,
                    label == null ? "" : label));
            return Map.of("result", "ok", "sdp", result.sdp(), "state", result.state().wire());
        } catch (ConferenceException e) {
            throw new NgException(e.getMessage());
        }
    }
}
