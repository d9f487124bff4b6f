package io.pinhole.proxy.sip;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.sip.hep.MessageTap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts SIP retransmissions both ways ({@code pinhole.sip.retransmissions{direction=in|out}}): a
 * message seen again with the same Call-ID, CSeq, top Via branch and start line (the method, or
 * the status of a response) within {@link #WINDOW_MILLIS}. Received ones mean our answers are
 * lost or late on the way to the phones; sent ones that theirs are, or that a peer is gone. The
 * RI retransmits and absorbs retransmissions inside its transaction layer without telling the
 * application, so they are counted where every message passes: the stack's message tap.
 *
 * <p>Called on the stack's threads: one key string and one map operation under a lock per
 * message; at most {@link #MAX_ENTRIES} keys are kept, oldest dropped first.
 */
public final class Retransmissions implements MessageTap {

    /** RFC 3261 64*T1: no transaction retransmits longer than this. */
    static final long WINDOW_MILLIS = 32_000;
    static final int MAX_ENTRIES = 200_000;

    private final Counter in;
    private final Counter out;
    private final LongSupplier clock;
    /** Insertion-ordered: the eldest entry is the first to expire. */
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    public Retransmissions(MeterRegistry meters, LongSupplier clock) {
        this.in = counter(meters, "in");
        this.out = counter(meters, "out");
        this.clock = clock;
    }

    private static Counter counter(MeterRegistry meters, String direction) {
        return Counter.builder("pinhole.sip.retransmissions").tag("direction", direction)
                .description("SIP messages seen again within 32 s: same Call-ID, CSeq, branch and start line")
                .register(meters);
    }

    @Override
    public void message(SIPMessage message, boolean sent, String peer, long timeMillis) {
        String key = key(message, sent);
        if (key == null) {
            return;
        }
        long now = clock.getAsLong();
        boolean again;
        synchronized (seen) {
            expire(now);
            again = seen.putIfAbsent(key, now) != null;
        }
        if (again) {
            (sent ? out : in).increment();
        }
    }

    /** What makes two messages the same transmission; null for a message without the headers. */
    static String key(SIPMessage message, boolean sent) {
        CSeq cseq = (CSeq) message.getCSeq();
        Via via = message.getTopmostVia();
        if (message.getCallId() == null || cseq == null || via == null) {
            return null;
        }
        String line = message instanceof SIPResponse response ? Integer.toString(response.getStatusCode())
                : cseq.getMethod();
        return (sent ? 'o' : 'i') + line + ' ' + cseq.getSeqNumber() + ' ' + cseq.getMethod() + ' '
                + via.getBranch() + ' ' + message.getCallId().getCallId();
    }

    private void expire(long now) {
        Iterator<Map.Entry<String, Long>> eldest = seen.entrySet().iterator();
        while (eldest.hasNext()) {
            Map.Entry<String, Long> e = eldest.next();
            if (now - e.getValue() < WINDOW_MILLIS && seen.size() < MAX_ENTRIES) {
                return;
            }
            eldest.remove();
        }
    }

    /** Keys kept now (tests). */
    int size() {
        synchronized (seen) {
            return seen.size();
        }
    }
}
