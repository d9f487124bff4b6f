package io.pinhole.relay.tcp;

/**
 * Whether a connection that presented a well-formed token may carry a call's media: a pure
 * decision, made on the control thread with the call's state of the moment.
 */
final class StreamAdmission {

    private StreamAdmission() {
    }

    /**
     * @param known       the token names a live call's side
     * @param connections connections bound to that call now (both sides)
     * @param perCall     {@code tcp-connections-per-call}
     * @return null when admitted, else the reason for the refusal (logged and sent to the client)
     */
    static String refusal(boolean known, int connections, int perCall) {
        if (!known) {
            return "unknown token";
        }
        if (connections >= perCall) {
            return "call has " + connections + " connections already (tcp-connections-per-call)";
        }
        return null;
    }
}
