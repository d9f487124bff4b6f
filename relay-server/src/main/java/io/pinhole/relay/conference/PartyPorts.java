package io.pinhole.relay.conference;

/**
 * Where a party's RTP/RTCP port pair comes from: the relay's port pool and media sockets
 * ({@link UdpPartyPorts}), or, in tests of the control logic, plain numbers.
 */
public interface PartyPorts {

    /** Control thread: takes a pair and binds it for the party ({@link Party#bound}). */
    void open(Party party) throws ConferenceException;

    /** Control thread: closes the party's sockets; the pair goes back once they have closed. */
    void close(Party party);
}
