package io.pinhole.sip;

/**
 * Answers to requests a service sends without a client transaction (NAT pings, registration
 * probes), recognised by the Call-ID prefix those requests carry. The RI would look each one up
 * in its client transactions and, finding none, compare it with every client transaction it holds
 * before handing it to the listener: a cost that grows with the calls in flight. An
 * {@link AnswerTap} hands them here instead, from the datagram's bytes.
 */
public interface StatelessAnswers {

    /**
     * What every Call-ID of these requests starts with: ASCII, at least 4 characters, and not a
     * prefix of another {@code StatelessAnswers}' prefix (or the other way round).
     */
    String callIdPrefix();

    /**
     * An answer whose Call-ID starts with {@link #callIdPrefix()}. Runs on the socket's receiving
     * thread (or a SIP worker): it must be quick and must not block.
     */
    void answered(String callId);
}
