package io.pinhole.wire.ng;

/** A relay that did not answer in time, or answered with an ng error. */
public final class NgException extends RuntimeException {

    private final boolean timeout;

    public NgException(String message, boolean timeout) {
        super(message, null, false, false);
        this.timeout = timeout;
    }

    /** True when the relay did not answer at all (it should be marked down). */
    public boolean timeout() {
        return timeout;
    }
}
