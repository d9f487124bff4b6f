package io.pinhole.proxy.overload;

/**
 * How far behind the proxy is, at one moment, measured where its work waits: received SIP
 * datagrams for a worker, relay replies for a callback thread to continue their calls, and the
 * relay's answers to our ng commands (its queueing, not its distance). All in milliseconds.
 */
public record Load(long receiveMillis, long callbackMillis, long relayMillis) {

    public static final Load IDLE = new Load(0, 0, 0);
}
