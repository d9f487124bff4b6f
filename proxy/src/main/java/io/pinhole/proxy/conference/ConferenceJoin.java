package io.pinhole.proxy.conference;

import io.pinhole.proxy.call.ConferenceEntry;
import io.pinhole.wire.ng.NgException;
import io.pinhole.proxy.relay.Relay;
import io.pinhole.proxy.relay.RelayPool;
import io.pinhole.proxy.sip.IncomingRequest;
import io.pinhole.proxy.sip.Responder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.Dialog;
import javax.sip.header.FromHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * A party's INVITE (the B2BUA routed it here, see {@link ConferenceEntry}): ng {@code join} on
 * the room's relay, then 200 with the relay's SDP, or the refusal the relay's error maps to
 * ({@link JoinRefusal}). A party of a PIN room is answered too and starts in the lobby, where
 * {@link LobbyWatch} follows it. Also answers a CANCEL that comes before the 200.
 */
final class ConferenceJoin implements ConferenceEntry {

    private static final Logger LOG = LoggerFactory.getLogger(ConferenceJoin.class);

    private final RoomDirectory rooms;
    private final ConferenceProperties properties;
    private final Parties parties;
    private final RelayPool relays;
    private final PartyMessages messages;
    private final Responder responder;
    private final PartyEnd end;
    private final LobbyWatch lobby;
    private final ConferenceMetrics metrics;
    private final Clock clock;
    private final Executor executor;

    ConferenceJoin(RoomDirectory rooms, ConferenceProperties properties, Parties parties, RelayPool relays,
                   PartyMessages messages, Responder responder, PartyEnd end, LobbyWatch lobby,
                   ConferenceMetrics metrics, Clock clock, Executor executor) {
        this.rooms = rooms;
        this.properties = properties;
        this.parties = parties;
        this.relays = relays;
        this.messages = messages;
        this.responder = responder;
        this.end = end;
        this.lobby = lobby;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = executor;
    }

    @Override
    public boolean isRoom(String domain, String name) {
        return rooms.find(domain, name).isPresent();
    }

    @Override
    public String adhocPrefix() {
        return properties.adhocPrefix();
    }

    @Override
    public void join(IncomingRequest in, String caller, String roomId, boolean callerBehindNat) {
        int at = roomId.lastIndexOf('@');
        String domain = roomId.substring(at + 1);
        String name = roomId.substring(0, at);
        Room room = rooms.find(domain, name).orElse(Room.adhoc(domain, name));
        Request request = in.request();
        String fromTag = ((FromHeader) request.getHeader(FromHeader.NAME)).getTag();
        String branch = ((ViaHeader) request.getHeader(ViaHeader.NAME)).getBranch();
        Dialog dialog;
        try {
            dialog = in.provider().getNewDialog(in.transaction());
        } catch (javax.sip.SipException e) {
            LOG.warn("conference {}: no dialog for the INVITE {}: {}", roomId, in.callId(), e.getMessage());
            responder.reply(in, 500, "Server Internal Error");
            return;
        }
        Party party = new Party(room.id(), in.callId(), fromTag, Long.toHexString(
                java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE),
                inviteKey(in.callId(), branch), caller, in.flow(), callerBehindNat, clock.instant(), in.transaction(),
                dialog);
        if (fromTag == null || !parties.add(party)) {
            responder.reply(in, 482, fromTag == null ? "From tag required" : "Loop Detected");
            return;
        }
        String sdp = sdpOf(request);
        if (sdp == null) {
            refuse(party, request, JoinRefusal.NO_SDP, false);
            return;
        }
        Optional<Relay> relay = parties.host(party);
        if (relay.isEmpty()) {
            refuse(party, request, JoinRefusal.NO_RELAY, false);
            return;
        }
        relay.get().client().send(RoomCommands.join(party, room, sdp)).whenCompleteAsync((reply, error) -> {
            if (error != null) {
                if (error.getCause() instanceof NgException ng && ng.timeout() || error instanceof NgException n
                        && n.timeout()) {
                    relays.timedOut(relay.get());
                }
                JoinRefusal refusal = JoinRefusal.of(error);
                LOG.info("conference {}: {} (Call-ID {}) refused: {} ({})", room.id(), caller, in.callId(),
                        refusal.status(), error.getCause() == null ? error.getMessage() : error.getCause().getMessage());
                refuse(party, request, refusal, true);
            } else {
                answer(party, request, reply, sdp);
            }
        }, executor);
    }

    private void answer(Party party, Request request, Map<String, Object> reply, String offer) {
        if (!(reply.get("sdp") instanceof String sdp) || sdp.isEmpty()) {
            refuse(party, request, JoinRefusal.of(new NgException("relay reply carries no SDP", false)), true);
            return;
        }
        boolean inLobby = "lobby".equals(RoomCommands.state(reply));
        synchronized (party) {
            if (party.state != Party.State.JOINING) {
                // cancelled while the relay answered: it must not keep the party
                party.relay.client().send(RoomCommands.leave(party));
                return;
            }
            party.state = inLobby ? Party.State.LOBBY : Party.State.JOINED;
            party.answeredAt = clock.instant();
            party.joinedAt = inLobby ? null : party.answeredAt;
            party.codec = PartySdp.codec(sdp);
            party.held = PartySdp.holds(offer);
        }
        responder.send(party.invite, messages.response(request, party, 200, "OK", sdp, null, null));
        if (inLobby) {
            lobby.watch(party);
            LOG.debug("conference {}: {} (Call-ID {}) answered, in the lobby", party.room, party.caller, party.callId);
        } else {
            metrics.join("joined");
            LOG.debug("conference {}: {} (Call-ID {}) joined", party.room, party.caller, party.callId);
        }
    }

    private void refuse(Party party, Request request, JoinRefusal refusal, boolean onRelay) {
        metrics.join(refusal.result());
        responder.send(party.invite, messages.response(request, party, refusal.status(), refusal.phrase(), null,
                refusal.status(), refusal.reasonText()));
        end.refused(party, refusal.cdrOutcome(), refusal.status(), onRelay);
    }

    @Override
    public boolean cancel(IncomingRequest in) {
        String branch = ((ViaHeader) in.request().getHeader(ViaHeader.NAME)).getBranch();
        Optional<Party> found = parties.byInvite(inviteKey(in.callId(), branch));
        if (found.isEmpty()) {
            return false;
        }
        responder.reply(in, 200, "OK");
        Party party = found.get();
        synchronized (party) {
            if (party.state != Party.State.JOINING) {
                return true; // answered already: the phone sends BYE
            }
        }
        responder.send(party.invite, messages.response(party.invite.getRequest(), party, 487, "Request Terminated",
                null, null, null));
        end.refused(party, "cancelled", 487, true);
        return true;
    }

    private static String inviteKey(String callId, String branch) {
        return callId + "\n" + branch;
    }

    static String sdpOf(javax.sip.message.Message message) {
        var type = (javax.sip.header.ContentTypeHeader) message.getHeader(javax.sip.header.ContentTypeHeader.NAME);
        byte[] raw = message.getRawContent();
        if (raw == null || raw.length == 0 || type == null || !"application".equalsIgnoreCase(type.getContentType())
                || !"sdp".equalsIgnoreCase(type.getContentSubType())) {
            return null;
        }
        return new String(raw, StandardCharsets.UTF_8);
    }
}
