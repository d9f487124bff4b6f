package io.pinhole.proxy.overload;

/**
 * Whether new calls must be refused now (503 + Retry-After) because some of the proxy's work
 * already waits too long. Every measure is a time, so the limits mean the same on a small box
 * and a large one, at 50 and at 5,000 calls/s: no tuning per machine.
 *
 * <p>Why three: on 2 cores at 1,300 authenticated calls/s the SIP workers' own queue stayed
 * short while the relay, starved of CPU by the proxy, answered ng commands late and then not at
 * all (its socket dropped thousands of them); calls admitted then failed on ng timeouts, with
 * no 503. The relay's lateness rises first and the callbacks' queue with it.
 *
 * @param maxQueueDelayMillis how long a received datagram or a relay reply may wait for a thread
 * @param maxRelayDelayMillis how long the relay's answers may wait in queues (past its shortest round trip)
 */
public record Shedding(long maxQueueDelayMillis, long maxRelayDelayMillis) {

    /** Why new calls are refused; {@link #NONE} when they are not. */
    public enum Cause {
        NONE("keeps up"),
        RECEIVE_BACKLOG("received messages wait for a SIP worker"),
        CALLBACK_BACKLOG("relay replies wait for a thread to continue their calls"),
        RELAY_LATE("the relay answers late");

        private final String description;

        Cause(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** The first limit {@code load} is past, in the order the work flows; {@link Cause#NONE} when within all. */
    public Cause cause(Load load) {
        if (load.receiveMillis() > maxQueueDelayMillis) {
            return Cause.RECEIVE_BACKLOG;
        }
        if (load.relayMillis() > maxRelayDelayMillis) {
            return Cause.RELAY_LATE;
        }
        if (load.callbackMillis() > maxQueueDelayMillis) {
            return Cause.CALLBACK_BACKLOG;
        }
        return Cause.NONE;
    }
}
