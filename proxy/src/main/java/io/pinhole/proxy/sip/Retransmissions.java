package io.pinhole.proxy.sip;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.sip.hep.MessageTap;
import java.util.function.LongSupplier;

/**
 * Counts SIP retransmissions both ways ({@code pinhole.sip.retransmissions{direction=in|out}}): a
 * message seen again with the same Call-ID, CSeq, top Via branch and start line (the method, or
 * the status of a response) within {@link #WINDOW_MILLIS}. Received ones mean our answers are
 * lost or late on the way to the phones; sent ones that theirs are, or that a peer is gone. The
 * RI retransmits and absorbs retransmissions inside its transaction layer without telling the
 * application, so they are counted where every message passes: the stack's message tap.
 *
 * <p>Called on the stack's threads for every message, so without allocating: the key is a 64-bit
 * hash of those fields, read from the parsed headers (no string built), kept in a {@link SeenKeys}
 * under a lock for a few table probes; at most {@link #MAX_ENTRIES} keys are kept, oldest dropped
 * first. (A key string and a locked map of them per message were 2-3 % of the proxy's CPU in a
 * call and some 250 bytes of heap per message for 32 s.) Two different messages with the same
 * hash would count as one retransmission: at 200,000 keys, odds of about 10^-9.
 */
public final class Retransmissions implements MessageTap {

    /** RFC 3261 64*T1: no transaction retransmits longer than this. */
    static final long WINDOW_MILLIS = 32_000;
    static final int MAX_ENTRIES = 200_000;

    private final Counter in;
    private final Counter out;
    private final LongSupplier clock;
    /** Guarded by itself. */
    private final SeenKeys seen = new SeenKeys(WINDOW_MILLIS, MAX_ENTRIES);

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
        CSeq cseq = (CSeq) message.getCSeq();
        Via via = message.getTopmostVia();
        if (message.getCallId() == null || cseq == null || via == null) {
            return;
        }
        long key = key(message, cseq, via, sent);
        long now = clock.getAsLong();
        boolean again;
        synchronized (seen) {
            again = !seen.add(key, now);
        }
        if (again) {
            (sent ? out : in).increment();
        }
    }

    /** What makes two messages the same transmission: direction, start line, CSeq, top branch, Call-ID. */
    static long key(SIPMessage message, CSeq cseq, Via via, boolean sent) {
        long h = FNV_OFFSET;
        h = mix(h, sent ? 'o' : 'i');
        h = mix(h, message instanceof SIPResponse response ? response.getStatusCode() : 0);
        h = mix(h, cseq.getSeqNumber());
        h = mix(h, cseq.getMethod());
        h = mix(h, via.getBranch());
        // the Call-ID's two parts as parsed: CallID.getCallId() encodes a new string on every call
        // (5.5 % of the proxy's allocation in a call, across its callers)
        if (message.getCallId() instanceof CallID callId && callId.getCallIdentifer() != null) {
            h = mix(h, callId.getCallIdentifer().getLocalId());
            h = mix(h, callId.getCallIdentifer().getHost());
        } else {
            h = mix(h, message.getCallId().getCallId());
        }
        return h;
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private static long mix(long h, long value) {
        for (int shift = 0; shift < 64; shift += 16) {
            h = (h ^ ((value >>> shift) & 0xffff)) * FNV_PRIME;
        }
        return h;
    }

    /** Mixes the characters of {@code text} (null and "" differ), then a separator. */
    private static long mix(long h, String text) {
        if (text == null) {
            return mix(h, -1L);
        }
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * FNV_PRIME;
        }
        return mix(h, (long) text.length() << 32 | 0xfffeL);
    }

    /** Keys kept now (tests). */
    int size() {
        synchronized (seen) {
            return seen.size();
        }
    }
}
