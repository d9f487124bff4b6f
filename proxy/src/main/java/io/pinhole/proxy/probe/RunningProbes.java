package io.pinhole.proxy.probe;

import io.pinhole.sip.StatelessAnswers;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The probes sent and not yet judged, by id, and the answers to them: the phone's answer on its
 * flow reaches the proxy's SIP socket, which hands it here by its Call-ID
 * ({@code nat-probe-<id>@<host>}) before the stack parses it; the answer to the unsolicited
 * probe reaches the probe's own socket ({@link NatProbe}). Apart from the probe, so that the SIP
 * server, which the probe sends through, can be given it.
 */
final class RunningProbes implements StatelessAnswers {

    static final String CALL_ID_PREFIX = "nat-probe-";

    private final Map<Long, Probe> byId = new ConcurrentHashMap<>();

    void add(Probe probe) {
        byId.put(probe.id, probe);
    }

    Probe byId(long id) {
        return byId.get(id);
    }

    /** Removes and returns the probes sent {@code timeoutMillis} or longer before {@code nowMillis}. */
    List<Probe> takeTimedOut(long nowMillis, long timeoutMillis) {
        List<Probe> done = new ArrayList<>();
        for (Iterator<Probe> it = byId.values().iterator(); it.hasNext(); ) {
            Probe probe = it.next();
            if (nowMillis - probe.sentMillis >= timeoutMillis) {
                it.remove();
                done.add(probe);
            }
        }
        return done;
    }

    @Override
    public String callIdPrefix() {
        return CALL_ID_PREFIX;
    }

    /** The phone answered a probe on its flow (an answer to a probe already judged, or mangled, credits nothing). */
    @Override
    public void answered(String callId) {
        int at = callId.indexOf('@');
        try {
            Probe probe = byId.get(Long.parseLong(callId, CALL_ID_PREFIX.length(), at < 0 ? callId.length() : at, 10));
            if (probe != null) {
                probe.answeredOnFlow = true;
            }
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            // ours by its prefix but mangled: nothing to credit
        }
    }
}
