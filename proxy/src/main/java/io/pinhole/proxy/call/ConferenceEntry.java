package io.pinhole.proxy.call;

import io.pinhole.proxy.sip.IncomingRequest;

/**
 * The seam where a new call for a conference room leaves the B2BUA path: {@link InviteHandler}
 * routes (after authentication and admission), and when {@link CallRouting} says
 * {@link RouteDecision.Kind#CONFERENCE} it hands the INVITE over and does nothing more with it.
 * The conference package answers the party itself (it is the UAS).
 */
public interface ConferenceEntry {

    /** Whether {@code name} is a room of the served {@code domain} (from memory: a SIP thread asks). */
    boolean isRoom(String domain, String name);

    /** The user part that opens an ad hoc room on first call; empty when ad hoc rooms are off. */
    String adhocPrefix();

    /**
     * Answers the INVITE (100 Trying already sent) for {@code room} (name@domain).
     *
     * @param callerBehindNat for the CDR, as the B2BUA's NAT detection found it
     */
    void join(IncomingRequest in, String caller, String room, boolean callerBehindNat);

    /** A CANCEL for a party's INVITE not answered yet: true when it was one (then answered here). */
    boolean cancel(IncomingRequest in);

    /** No conferences: what tests that build the call layer by hand use. */
    ConferenceEntry NONE = new ConferenceEntry() {
        @Override
        public boolean isRoom(String domain, String name) {
            return false;
        }

        @Override
        public String adhocPrefix() {
            return "";
        }

        @Override
        public void join(IncomingRequest in, String caller, String room, boolean callerBehindNat) {
            throw new IllegalStateException("no conference rooms here");
        }

        @Override
        public boolean cancel(IncomingRequest in) {
            return false;
        }
    };
}
