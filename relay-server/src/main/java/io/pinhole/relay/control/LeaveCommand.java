package io.pinhole.relay.control;

import io.pinhole.relay.conference.ConferenceException;
import io.pinhole.relay.conference.Conferences;
import java.util.List;
import java.util.Map;

/** {@code leave}: one party leaves its room; the answer carries its totals. */
final class LeaveCommand implements NgCommand {

    private final Conferences conferences;

    LeaveCommand(Conferences conferences) {
        this.conferences = conferences;
    }

    @Override
    public String name() {
        return "leave";
    }

    @Override
    public Map<String, Object> execute(NgRequest r) throws NgException {
        try {
            return ConferenceReport.totals(List.of(conferences.leave(r.require("call-id", "invalid: no call-id"),
                    r.require("from-tag", "invalid: no from-tag"))));
        } catch (ConferenceException e) {
            throw new NgException(e.getMessage());
        }
    }
}
