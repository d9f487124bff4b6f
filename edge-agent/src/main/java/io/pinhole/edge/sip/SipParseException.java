package io.pinhole.edge.sip;

/** A message from the LAN or from upstream that cannot be read; the message says why. */
public final class SipParseException extends RuntimeException {

    public SipParseException(String message) {
        super(message);
    }
}
