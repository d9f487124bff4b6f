package io.pinhole.proxy.call;

import io.pinhole.wire.ng.NgException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * The decisions of {@link MediaTimeoutWatch}, pure: which of our calls a relay's {@code list}
 * reply proves gone, which it leaves open, which of those to {@code query} this round, and how
 * many Call-IDs to ask for next time so the reply still fits one datagram.
 */
final class RelayCallCheck {

    /** The limit asked for first: measured to fit with Call-IDs of up to ~55 bytes (1,000 of 51 bytes = 55 KB). */
    static final int FIRST_LIMIT = 1000;
    static final int MIN_LIMIT = 64;
    static final int MAX_LIMIT = 5000;
    /**
     * Call-ID bytes a reply may carry: a datagram holds 65,507 bytes, and Call-IDs longer than the
     * average of the last reply need room.
     */
    static final int REPLY_BUDGET = 48_000;

    /**
     * @param gone   our calls the relay no longer has
     * @param unsure our calls the reply did not show, but which it may have left out (sorted)
     */
    record Verdict(Set<String> gone, List<String> unsure) {
    }

    private RelayCallCheck() {
    }

    /**
     * @param ours   Call-IDs of our established calls on the relay
     * @param listed the relay's {@code list} reply, or null when it gave none
     * @param limit  the limit that reply was asked with: a reply as long as it may have been cut
     */
    static Verdict judge(Collection<String> ours, List<String> listed, int limit) {
        Set<String> held = listed == null ? Set.of() : new HashSet<>(listed);
        List<String> missing = new ArrayList<>();
        for (String callId : ours) {
            if (!held.contains(callId)) {
                missing.add(callId);
            }
        }
        Collections.sort(missing);
        if (listed != null && listed.size() < limit) {
            return new Verdict(Set.copyOf(missing), List.of());
        }
        return new Verdict(Set.of(), List.copyOf(missing));
    }

    /**
     * The next limit: half the last one when no reply came (most likely too large to send), else
     * as many Call-IDs of the last reply's average size as fit {@link #REPLY_BUDGET}.
     */
    static int nextLimit(int asked, List<String> listed) {
        if (listed == null) {
            return Math.max(MIN_LIMIT, asked / 2);
        }
        if (listed.isEmpty()) {
            return asked;
        }
        long bytes = 0;
        for (String callId : listed) {
            int length = callId.getBytes(StandardCharsets.UTF_8).length;
            bytes += length + Integer.toString(length).length() + 1; // bencode: <length>:<bytes>
        }
        long fits = REPLY_BUDGET * (long) listed.size() / bytes;
        return (int) Math.max(MIN_LIMIT, Math.min(MAX_LIMIT, fits));
    }

    /**
     * Up to {@code budget} of the sorted {@code unsure} Call-IDs, starting after {@code cursor} (the
     * last one asked about) and wrapping around, so each is asked about in turn.
     */
    static List<String> toQuery(List<String> unsure, String cursor, int budget) {
        if (unsure.isEmpty() || budget <= 0) {
            return List.of();
        }
        int start = 0;
        if (cursor != null) {
            int at = Collections.binarySearch(unsure, cursor);
            start = at >= 0 ? at + 1 : -at - 1;
        }
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < Math.min(budget, unsure.size()); i++) {
            chosen.add(unsure.get((start + i) % unsure.size()));
        }
        return chosen;
    }

    /** Whether a query failed because the relay does not know the call (the wording of rtpengine and ours). */
    static boolean unknownCall(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof NgException ng && !ng.timeout() && "Unknown call-id".equalsIgnoreCase(ng.getMessage());
    }
}
