package io.pinhole.proxy.conference;

import java.time.Instant;
import java.util.List;

/**
 * A room with parties on this proxy, as {@code GET /api/conferences} shows it.
 *
 * @param relay the name of the relay that mixes the room
 */
public record LiveRoomView(String room, String relay, List<LivePartyView> parties) {

    /**
     * @param state    joining, lobby or joined
     * @param codec    PCMU or PCMA (what the relay answered), null before the answer
     * @param held     the party's last offer put it on hold
     * @param joinedAt when it entered the room (after its PIN in a PIN room), null while in the lobby
     */
    public record LivePartyView(String callId, String caller, String state, String codec, boolean muted, boolean held,
                                Instant answeredAt, Instant joinedAt) {
    }
}
