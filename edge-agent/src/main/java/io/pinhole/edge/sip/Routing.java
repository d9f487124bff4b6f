package io.pinhole.edge.sip;

/** What the agent does with one message: a value, acted on by the SIP handler afterwards. */
public sealed interface Routing {

    /** Forward over the upstream connection. */
    record ToUpstream(SipMessage message) implements Routing {
    }

    /** Send over LAN UDP to a phone. */
    record ToLan(SipMessage message, Hop to) implements Routing {
    }

    /** A response to the agent's own REGISTER. */
    record Own(SipMessage response) implements Routing {
    }

    /** Not forwarded; the reason is logged once. */
    record Drop(String reason) implements Routing {
    }
}
