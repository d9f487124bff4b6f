package io.pinhole.relay.call;

/** A request about calls that cannot be honoured; the message becomes the ng error reason. */
public final class CallException extends Exception {

    public CallException(String message) {
        super(message, null, false, false);
    }
}
