package io.pinhole.proxy.sip;

/** Handles the out-of-dialog requests of one SIP method. */
public interface RequestHandler {

    String method();

    void handle(IncomingRequest request);

    /**
     * A first look at a new request before the stack keeps any state for it. A handler answers
     * here, statelessly, what needs no transaction (a digest challenge, an overload 503), as
     * Kamailio's {@code sl_send_reply} does: a retransmission simply gets the same answer again,
     * and no timers run for it. Returns true when the request is answered.
     */
    default boolean answeredStatelessly(NewRequest request) {
        return false;
    }
}
