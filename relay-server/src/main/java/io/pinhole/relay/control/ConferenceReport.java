package io.pinhole.relay.control;

import io.pinhole.relay.conference.Party;
import io.pinhole.relay.conference.Room;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The dictionaries the conference commands answer with (the contract's party layout). */
final class ConferenceReport {

    private ConferenceReport() {
    }

    static Map<String, Object> party(Party p) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("call-id", p.callId());
        d.put("from-tag", p.fromTag());
        d.put("label", p.label());
        d.put("state", p.state().wire());
        d.put("codec", p.codec().encoding());
        d.put("muted", p.muted() ? 1 : 0);
        d.put("held", p.held() ? 1 : 0);
        d.put("packets-in", p.packetsIn());
        d.put("packets-out", p.packetsOut());
        d.put("bytes-in", p.bytesIn());
        d.put("bytes-out", p.bytesOut());
        d.put("pin-failures", p.pinFailures());
        // ours, beyond the contract: frames the jitter buffer dropped (late, duplicate, overrun)
        d.put("frames-late", p.framesLate());
        return d;
    }

    static Map<String, Object> room(Room room) {
        List<Object> parties = new ArrayList<>();
        for (Party p : room.members()) {
            parties.add(party(p));
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("result", "ok");
        reply.put("room", room.id());
        reply.put("parties", parties);
        return reply;
    }

    /** {@code leave} and {@code delete} of parties: their summed counts, as {@code delete} gives for calls. */
    static Map<String, Object> totals(List<Party> parties) {
        long pi = 0;
        long bi = 0;
        long po = 0;
        long bo = 0;
        for (Party p : parties) {
            pi += p.packetsIn();
            bi += p.bytesIn();
            po += p.packetsOut();
            bo += p.bytesOut();
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("packets-in", pi);
        totals.put("bytes-in", bi);
        totals.put("packets-out", po);
        totals.put("bytes-out", bo);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("result", "ok");
        reply.put("totals", totals);
        if (parties.size() == 1) {
            reply.put("room", parties.get(0).room().id());
            reply.put("party", party(parties.get(0)));
        }
        return reply;
    }
}
