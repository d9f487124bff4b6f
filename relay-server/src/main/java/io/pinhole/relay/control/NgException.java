package io.pinhole.relay.control;

/** A request we answer with {@code {"result":"error","error-reason":...}}. */
public final class NgException extends Exception {

    public NgException(String reason) {
        super(reason, null, false, false);
    }
}
