package io.pinhole.relay.control;

import io.pinhole.relay.conference.ConferenceException;
import io.pinhole.relay.conference.Conferences;
import java.util.Map;

/**
 * {@code block media} and {@code unblock media} (rtpengine's names) for a conference party: a
 * muted party is not mixed into what the others hear, and still hears the room.
 */
final class BlockMediaCommand implements NgCommand {

    private final Conferences conferences;
    private final boolean block;

    BlockMediaCommand(Conferences conferences, boolean block) {
        this.conferences = conferences;
        this.block = block;
    }

    @Override
    public String name() {
        return block ? "block media" : "unblock media";
    }

    @Override
    public Map<String, Object> execute(NgRequest r) throws NgException {
        try {
            conferences.mute(r.require("call-id", "invalid: no call-id"), r.require("from-tag", "invalid: no from-tag"),
                    block);
            return Map.of("result", "ok");
        } catch (ConferenceException e) {
            throw new NgException(e.getMessage());
        }
    }
}
