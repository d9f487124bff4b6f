package io.pinhole.proxy.conference;

import io.pinhole.proxy.sip.Flow;
import io.pinhole.proxy.relay.Relay;

import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import java.time.Instant;

/**
 * One party of a room: one SIP dialog the proxy answers as UAS, named on the relay by
 * (Call-ID, the phone's From tag). The final fields are set at the INVITE; the others change
 * under the party's lock, from the SIP threads (BYE, re-INVITE, CANCEL), the conference executor
 * (ng replies, lobby polls) and the admin API.
 */
final class Party {

    enum State {
        /** INVITE received, ng join sent, not answered yet. */
        JOINING,
        /** Answered, keying its PIN (the relay keeps it apart from the room). */
        LOBBY,
        /** Answered, in the room. */
        JOINED,
        ENDED
    }

    final String room;
    final String callId;
    final String fromTag;
    /** Our To tag for the party's dialog. */
    final String toTag;
    /** For CANCEL: Call-ID and the INVITE's branch. */
    final String inviteKey;
    final String caller;
    final Flow flow;
    final boolean behindNat;
    final Instant startedAt;
    final ServerTransaction invite;
    final Dialog dialog;
    /** The relay that hosts the room; null until the room's host is found. */
    Relay relay;

    State state = State.JOINING;
    Instant answeredAt;
    Instant joinedAt;
    String codec;
    boolean held;
    boolean muted;

    Party(String room, String callId, String fromTag, String toTag, String inviteKey, String caller, Flow flow,
          boolean behindNat, Instant startedAt, ServerTransaction invite, Dialog dialog) {
        this.room = room;
        this.callId = callId;
        this.fromTag = fromTag;
        this.toTag = toTag;
        this.inviteKey = inviteKey;
        this.caller = caller;
        this.flow = flow;
        this.behindNat = behindNat;
        this.startedAt = startedAt;
        this.invite = invite;
        this.dialog = dialog;
    }

    static String key(String callId, String fromTag) {
        return callId + "\n" + fromTag;
    }

    String key() {
        return key(callId, fromTag);
    }

    /**
     * Marks the party ended, exactly once: whoever gets true (a BYE from the phone, our hang-up,
     * a CANCEL, a failed join) does the rest of the ending.
     *
     * @return the state it was in, or null when it had ended already
     */
    synchronized State end() {
        if (state == State.ENDED) {
            return null;
        }
        State was = state;
        state = State.ENDED;
        return was;
    }

    synchronized State state() {
        return state;
    }
}
