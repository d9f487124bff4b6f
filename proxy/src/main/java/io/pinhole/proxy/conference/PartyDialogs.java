package io.pinhole.proxy.conference;

import io.pinhole.proxy.sip.DialogEvents;
import io.pinhole.proxy.sip.IncomingRequest;
import io.pinhole.proxy.sip.Responder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The dialogs of conference parties, in front of the call layer's {@link DialogEvents}: a request
 * whose Call-ID and From tag are a party's is answered here (BYE, re-INVITE for hold/resume,
 * OPTIONS); everything else goes on to the call layer unchanged.
 */
final class PartyDialogs implements DialogEvents {

    private static final Logger LOG = LoggerFactory.getLogger(PartyDialogs.class);

    private final DialogEvents calls;
    private final Parties parties;
    private final PartyEnd end;
    private final PartyMessages messages;
    private final Responder responder;
    private final RoomDirectory rooms;
    private final Executor executor;

    PartyDialogs(DialogEvents calls, Parties parties, PartyEnd end, PartyMessages messages, Responder responder,
                 RoomDirectory rooms, Executor executor) {
        this.calls = calls;
        this.parties = parties;
        this.end = end;
        this.messages = messages;
        this.responder = responder;
        this.rooms = rooms;
        this.executor = executor;
    }

    @Override
    public void request(IncomingRequest in, Dialog dialog) {
        Request request = in.request();
        Optional<Party> found = parties.byKey(in.callId(), ((FromHeader) request.getHeader(FromHeader.NAME)).getTag());
        if (found.isEmpty()) {
            calls.request(in, dialog);
            return;
        }
        Party party = found.get();
        if (party.state() == Party.State.ENDED) {
            responder.reply(in, 481, "Call/Transaction Does Not Exist");
            return;
        }
        switch (request.getMethod()) {
            case Request.BYE -> {
                responder.reply(in, 200, "OK");
                if (end.left(party, "answered", 200)) {
                    LOG.debug("conference {}: {} (Call-ID {}) hung up", party.room, party.caller, party.callId);
                }
            }
            case Request.INVITE -> reoffer(in, party);
            case Request.OPTIONS -> responder.reply(in, 200, "OK");
            default -> responder.reply(in, 501, "Not Implemented in a conference");
        }
    }

    /** Hold or resume: the same join again (the relay keeps the ports and does not send it back to the lobby). */
    private void reoffer(IncomingRequest in, Party party) {
        String sdp = ConferenceJoin.sdpOf(in.request());
        if (sdp == null) {
            JoinRefusal no = JoinRefusal.NO_SDP;
            responder.send(in.transaction(), messages.response(in.request(), party, no.status(), no.phrase(), null,
                    no.status(), no.reasonText()));
            return;
        }
        Room room = roomOf(party);
        party.relay.client().send(RoomCommands.join(party, room, sdp)).whenCompleteAsync((reply, error) -> {
            if (error != null || !(reply.get("sdp") instanceof String answer)) {
                JoinRefusal refusal = error == null ? JoinRefusal.of(new IllegalStateException("no SDP in the reply"))
                        : JoinRefusal.of(error);
                LOG.info("conference {}: re-offer of {} (Call-ID {}) refused: {}", party.room, party.caller,
                        party.callId, refusal.reasonText());
                responder.send(in.transaction(), messages.response(in.request(), party, refusal.status(),
                        refusal.phrase(), null, refusal.status(), refusal.reasonText()));
                return;
            }
            synchronized (party) {
                party.held = PartySdp.holds(sdp);
                party.codec = PartySdp.codec(answer);
            }
            responder.send(in.transaction(), messages.response(in.request(), party, 200, "OK", answer, null, null));
        }, executor);
    }

    private Room roomOf(Party party) {
        int at = party.room.lastIndexOf('@');
        String domain = party.room.substring(at + 1);
        String name = party.room.substring(0, at);
        return rooms.find(domain, name).orElse(Room.adhoc(domain, name));
    }

    @Override
    public void ack(RequestEvent event) {
        Request request = event.getRequest();
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        if (parties.byKey(callId, ((FromHeader) request.getHeader(FromHeader.NAME)).getTag()).isEmpty()) {
            calls.ack(event);
        }
        // a party's ACK of our 2xx: the dialog layer has matched it, nothing else to do
    }

    @Override
    public void response(ResponseEvent event) {
        calls.response(event);
    }

    @Override
    public void timeout(TimeoutEvent event) {
        calls.timeout(event);
    }

    @Override
    public void dialogTerminated(Dialog dialog) {
        Optional<Party> party = dialog.getCallId() == null || dialog.getRemoteTag() == null ? Optional.empty()
                : parties.byKey(dialog.getCallId().getCallId(), dialog.getRemoteTag());
        if (party.isEmpty()) {
            calls.dialogTerminated(dialog);
            return;
        }
        Party p = party.get();
        if (p.state() == Party.State.LOBBY || p.state() == Party.State.JOINED) {
            // a 2xx never ACKed, or the stack gave up on the dialog: the party is gone
            if (end.left(p, "failed", 408)) {
                LOG.info("conference {}: the dialog of {} (Call-ID {}) ended without BYE", p.room, p.caller, p.callId);
            }
        }
    }
}
