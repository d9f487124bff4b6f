package io.pinhole.relay.conference;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's conference rooms and their parties, as the ng commands see them: join (with
 * re-offers), leave, delete by call-id, mute, and the limits. Confined to the control thread;
 * what the mixer must see is handed to the conference loop ({@code mixLoop}) whole.
 */
public final class Conferences {

    private static final Logger log = LoggerFactory.getLogger(Conferences.class);

    /** A party's identity: one SIP dialog, the tag being the phone's own. */
    private record Key(String callId, String fromTag) {
    }

    private final ConferenceSettings settings;
    private final PartyPorts ports;
    private final Executor mixLoop;
    private final MediaClock clock;
    private final String advertisedAddress;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Room> rooms = new LinkedHashMap<>();
    private final Map<Key, Party> parties = new HashMap<>();
    private final Map<String, List<Party>> byCallId = new HashMap<>();
    private final long sessionId;
    private long sdpVersion;

    /**
     * @param mixLoop runs tasks on the conference loop (the loop of the clock and of every
     *                party's sockets)
     */
    public Conferences(ConferenceSettings settings, PartyPorts ports, Executor mixLoop, MediaClock clock,
                       String advertisedAddress) {
        this.settings = settings;
        this.ports = ports;
        this.mixLoop = mixLoop;
        this.clock = clock;
        this.advertisedAddress = advertisedAddress;
        this.sessionId = random.nextInt(Integer.MAX_VALUE);
    }

    /** No conferences (the warm-up's command table): every join is refused with {@code no ports}. */
    public static Conferences none() {
        PartyPorts off = new PartyPorts() {
            @Override
            public void open(Party party) throws ConferenceException {
                throw new ConferenceException("no ports: conferences are off here");
            }

            @Override
            public void close(Party party) {
            }
        };
        return new Conferences(new ConferenceSettings(2, 1, 1), off, Runnable::run, new MediaClock(System::nanoTime),
                "127.0.0.1");
    }

    /** A new party, or a re-offer of one (same ports, same state; hold and codec follow the offer). */
    public JoinResult join(JoinRequest r) throws ConferenceException {
        if (r.pin() != null && !PinGate.valid(r.pin())) {
            throw new ConferenceException("invalid pin: 1 to 16 digits 0-9");
        }
        if (r.maxParties() < 0 || r.maxParties() == 1) {
            throw new ConferenceException("invalid max-parties: at least 2");
        }
        OfferedAudio offer = OfferedAudio.parse(r.sdp());
        Key key = new Key(r.callId(), r.fromTag());
        Party existing = parties.get(key);
        if (existing != null) {
            if (!existing.room().id().equals(r.room())) {
                throw new ConferenceException("invalid room: this party is in room " + existing.room().id());
            }
            existing.apply(offer);
            return new JoinResult(answer(existing, offer), existing.state());
        }
        Room room = rooms.get(r.room());
        boolean newRoom = room == null;
        if (newRoom) {
            if (rooms.size() >= settings.maxRooms()) {
                throw new ConferenceException("too many rooms: this relay holds " + settings.maxRooms());
            }
            int cap = r.maxParties() == 0 ? settings.maxParties() : Math.min(r.maxParties(), settings.maxParties());
            room = new Room(r.room(), cap);
        } else if (room.members().size() >= room.capacity()) {
            throw new ConferenceException("room full: " + room.capacity() + " parties");
        }
        Party party = new Party(r.callId(), r.fromTag(), r.label(), room, r.pin(), offer, settings.jitterFrames(),
                random.nextInt(), random.nextInt(), random.nextInt());
        ports.open(party);
        if (newRoom) {
            rooms.put(room.id(), room);
            Room created = room;
            mixLoop.execute(() -> clock.add(created));
        }
        room.membersForUpdate().add(party);
        parties.put(key, party);
        byCallId.computeIfAbsent(r.callId(), k -> new ArrayList<>(1)).add(party);
        Room in = room;
        mixLoop.execute(() -> in.add(party));
        log.info("conference {}: {} ({}, call-id {}) joins as {}, {} in the room", room.id(), r.label(),
                offer.codec(), r.callId(), party.state().wire(), room.members().size());
        return new JoinResult(answer(party, offer), party.state());
    }

    private String answer(Party party, OfferedAudio offer) {
        return AnswerSdp.build(advertisedAddress, party.rtpPort(), offer, sessionId, ++sdpVersion);
    }

    /** Removes one party (the others hear the leave tone); the room goes with its last party. */
    public Party leave(String callId, String fromTag) throws ConferenceException {
        Party party = parties.get(new Key(callId, fromTag));
        if (party == null) {
            throw new ConferenceException("unknown call");
        }
        remove(party);
        return party;
    }

    /** Removes every party of a call-id ({@code delete}); empty when the call-id is no party's. */
    public List<Party> deleteCall(String callId) {
        List<Party> gone = byCallId.get(callId);
        if (gone == null) {
            return List.of();
        }
        List<Party> copy = List.copyOf(gone);
        for (Party p : copy) {
            remove(p);
        }
        return copy;
    }

    private void remove(Party party) {
        parties.remove(new Key(party.callId(), party.fromTag()));
        List<Party> same = byCallId.get(party.callId());
        same.remove(party);
        if (same.isEmpty()) {
            byCallId.remove(party.callId());
        }
        Room room = party.room();
        room.membersForUpdate().remove(party);
        boolean last = room.members().isEmpty();
        if (last) {
            rooms.remove(room.id());
        }
        mixLoop.execute(() -> {
            room.remove(party);
            if (last) {
                clock.remove(room);
            }
            if (party.out != null) {
                party.out.release();
            }
        });
        if (party.rtpChannel() != null) {
            ports.close(party);
        }
        log.info("conference {}: {} (call-id {}) leaves, {} in the room{}", room.id(), party.label(),
                party.callId(), room.members().size(), last ? ", room closed" : "");
    }

    /** The relay is stopping: every party leaves, so its sockets close and its frame buffer is freed. */
    public void closeAll() {
        for (Party p : List.copyOf(parties.values())) {
            remove(p);
        }
    }

    /** {@code block media} / {@code unblock media}: the party is (not) heard; it still hears the room. */
    public Party mute(String callId, String fromTag, boolean muted) throws ConferenceException {
        Party party = parties.get(new Key(callId, fromTag));
        if (party == null) {
            throw new ConferenceException("unknown call");
        }
        party.muted = muted;
        return party;
    }

    public Party party(String callId, String fromTag) {
        return parties.get(new Key(callId, fromTag));
    }

    /** Whether this call-id belongs to any party. */
    public boolean hasCall(String callId) {
        return byCallId.containsKey(callId);
    }

    public Room room(String id) {
        return rooms.get(id);
    }

    public Collection<Room> rooms() {
        return Collections.unmodifiableCollection(rooms.values());
    }

    public int partyCount() {
        return parties.size();
    }

    public MediaClock clock() {
        return clock;
    }
}
