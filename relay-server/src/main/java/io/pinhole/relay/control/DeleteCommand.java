package io.pinhole.relay.control;

import io.pinhole.relay.call.Call;
import io.pinhole.relay.call.CallRegistry;
import io.pinhole.relay.conference.Conferences;
import io.pinhole.relay.conference.Party;
import java.util.List;
import java.util.Map;

/**
 * {@code delete}: tear the call down and free its ports; with only {@code call-id} the whole call
 * goes. An unknown call or tag is answered as rtpengine does: {@code ok} with a {@code warning},
 * because a proxy deletes a call from several places (BYE, failure, timeout) and the second delete
 * is not a failure. The reply carries the call's final statistics in {@code query}'s layout.
 * A call-id that belongs to conference parties removes every party of it (as {@code leave}
 * does), answered with their totals.
 */
final class DeleteCommand implements NgCommand {

    private final CallRegistry registry;
    private final Conferences conferences;

    DeleteCommand(CallRegistry registry, Conferences conferences) {
        this.registry = registry;
        this.conferences = conferences;
    }

    @Override
    public String name() {
        return "delete";
    }

    @Override
    public Map<String, Object> execute(NgRequest r) throws NgException {
        String callId = r.require("call-id");
        Call call = registry.find(callId);
        if (call == null && conferences.hasCall(callId)) {
            List<Party> gone = conferences.deleteCall(callId);
            return ConferenceReport.totals(gone);
        }
        String fromTag = OfferCommand.emptyToNull(r.string("from-tag"));
        if (call == null || (fromTag != null && call.side(fromTag) == null)) {
            return Map.of("result", "ok", "warning", "Call-ID not found or tags didn't match");
        }
        registry.remove(call, false);
        // The final counts, read after the sockets closed: the proxy's CDR takes them from here.
        return QueryCommand.report(call);
    }
}
