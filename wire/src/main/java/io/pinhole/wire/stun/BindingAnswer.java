package io.pinhole.wire.stun;

import java.net.InetSocketAddress;

/** What to do with one datagram that arrived at a STUN Binding server: a value, acted on by the caller. */
public sealed interface BindingAnswer {

    /**
     * Send {@code datagram} back to the request's source, from the local address {@code from}
     * (the socket the request came in on, or another one for an RFC 5780 CHANGE-REQUEST).
     *
     * @param errorCode 0 for a success response, else the ERROR-CODE it carries (400, 420)
     */
    record Reply(byte[] datagram, InetSocketAddress from, int errorCode) implements BindingAnswer {
    }

    /** Well-formed STUN that gets no answer: an indication, a response, a method other than Binding. */
    record Ignore(String reason) implements BindingAnswer {
    }

    /** Not a well-formed STUN message; dropped silently, as RFC 5389 section 7.3 says. */
    record Malformed(String reason) implements BindingAnswer {
    }
}
