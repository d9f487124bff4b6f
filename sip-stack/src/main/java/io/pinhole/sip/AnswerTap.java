package io.pinhole.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Takes the answers to a service's stateless requests (its {@link StatelessAnswers}) out of the
 * stream of received messages, before the RI looks for their client transaction. A UDP listening
 * point asks {@link #take(byte[], int)} for every datagram: a request costs a look at its first 8
 * bytes, a response a walk over its header names up to Call-ID; only an answer of ours allocates
 * (its Call-ID string). What escapes that (a form the byte look does not read, a message on
 * another transport) reaches the listener parsed, which asks {@link #take(String)}.
 *
 * <p>Immutable but for its counters; shared by the receiving thread and the SIP workers.
 */
public final class AnswerTap {

    /** Takes nothing. */
    public static final AnswerTap NONE = new AnswerTap(List.of());

    private final StatelessAnswers[] answers;
    private final byte[][] prefixes;
    private final LongAdder takenFromDatagrams = new LongAdder();
    private final LongAdder takenFromMessages = new LongAdder();

    /**
     * @throws IllegalArgumentException when a prefix is shorter than 4 characters, not ASCII, or
     *                                  one prefix starts another (an answer would have two owners)
     */
    public AnswerTap(List<? extends StatelessAnswers> answers) {
        this.answers = answers.toArray(new StatelessAnswers[0]);
        this.prefixes = new byte[this.answers.length][];
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < this.answers.length; i++) {
            String prefix = this.answers[i].callIdPrefix();
            if (prefix == null || prefix.length() < 4 || !StandardCharsets.US_ASCII.newEncoder().canEncode(prefix)) {
                throw new IllegalArgumentException("Call-ID prefix of " + this.answers[i].getClass().getSimpleName()
                        + " must be 4 or more ASCII characters, was " + prefix);
            }
            for (String other : seen) {
                if (prefix.startsWith(other) || other.startsWith(prefix)) {
                    throw new IllegalArgumentException("Call-ID prefixes " + other + " and " + prefix + " overlap");
                }
            }
            seen.add(prefix);
            prefixes[i] = prefix.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * A received datagram: true when it was an answer of ours and has been handed over (the
     * caller drops it then); false leaves it to the stack.
     */
    public boolean take(byte[] datagram, int length) {
        if (answers.length == 0) {
            return false;
        }
        int start = ResponseCallId.valueStart(datagram, length);
        if (start < 0) {
            return false;
        }
        for (int i = 0; i < prefixes.length; i++) {
            if (startsWith(datagram, start, length, prefixes[i])) {
                int end = ResponseCallId.valueEnd(datagram, start, length);
                answers[i].answered(new String(datagram, start, end - start, StandardCharsets.ISO_8859_1));
                takenFromDatagrams.increment();
                return true;
            }
        }
        return false;
    }

    /** The Call-ID of a parsed response that had no client transaction: true when it was ours and handed over. */
    public boolean take(String callId) {
        if (callId == null) {
            return false;
        }
        for (int i = 0; i < answers.length; i++) {
            if (callId.startsWith(answers[i].callIdPrefix())) {
                answers[i].answered(callId);
                takenFromMessages.increment();
                return true;
            }
        }
        return false;
    }

    /** Answers taken from datagrams, before the stack parsed them. */
    public long takenFromDatagrams() {
        return takenFromDatagrams.sum();
    }

    /** Answers that reached the listener and were taken there, after the stack's transaction search. */
    public long takenFromMessages() {
        return takenFromMessages.sum();
    }

    private static boolean startsWith(byte[] data, int from, int length, byte[] prefix) {
        if (length - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
