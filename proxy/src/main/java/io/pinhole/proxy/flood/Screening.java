package io.pinhole.proxy.flood;

/**
 * What becomes of a request after the flood guard has looked at it: it goes on, it is dropped
 * without an answer (as pike and Kamailio's scanner rule do, so the sender learns nothing and
 * spends its time on retransmissions), or it is answered statelessly with a fixed status.
 */
public enum Screening {
    PASS(0, null),
    DROP(0, null),
    SERVICE_UNAVAILABLE(503, "Service Unavailable"),
    FORBIDDEN(403, "Forbidden");

    private final int status;
    private final String reason;

    Screening(int status, String reason) {
        this.status = status;
        this.reason = reason;
    }

    /** A status to answer with (never for an ACK); false for PASS and DROP. */
    public boolean answers() {
        return status > 0;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
