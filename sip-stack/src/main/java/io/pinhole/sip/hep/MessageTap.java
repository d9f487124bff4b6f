package io.pinhole.sip.hep;

import gov.nist.javax.sip.message.SIPMessage;

/**
 * Sees every SIP message a stack receives or sends, where {@link HepServerLogger} sees it: the
 * seam for an in-process capture (the proxy's recent-calls ladder) beside or instead of HEP.
 * Attached to a new stack with {@link HepServerLogger#attach(gov.nist.javax.sip.SipStackImpl, MessageTap)}.
 *
 * <p>Called on the stack's threads for every message, so it must be quick and must not block:
 * it decides from what it can read cheaply (the Call-ID, the method) and takes the bytes of only
 * the messages it keeps, with {@link SecretRedaction#wire} during this call (the bytes as on the
 * wire, not formatted again). The message is the stack's live object: read it, never change or keep it.
 * Whatever it throws is dropped (a capture problem never reaches the SIP path).
 */
@FunctionalInterface
public interface MessageTap {

    /**
     * @param sent      true for a message the stack sends, false for one it received
     * @param peer      the other end, "address:port"
     * @param timeMillis when the stack received or sent it (epoch milliseconds)
     */
    void message(SIPMessage message, boolean sent, String peer, long timeMillis);
}
