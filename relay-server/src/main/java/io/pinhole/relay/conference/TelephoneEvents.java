package io.pinhole.relay.conference;

/**
 * RFC 4733 telephone-events of one party, reduced to keys pressed: an event counts once, when its
 * first packet with the end bit arrives; the redundant end packets (same RTP timestamp, the
 * event's start) are ignored. Confined to the conference loop.
 */
final class TelephoneEvents {

    private boolean ended;
    private int endedTimestamp;

    /**
     * @param timestamp the packet's RTP timestamp (the event's start)
     * @param event     the payload's first byte (event code)
     * @param flags     the payload's second byte (E bit 0x80, R, volume)
     * @return the key ('0'-'9', '*', '#') when this packet ends an event for the first time, else 0
     */
    char accept(int timestamp, int event, int flags) {
        if ((flags & 0x80) == 0) {
            return 0;
        }
        if (ended && endedTimestamp == timestamp) {
            return 0; // a retransmitted end packet
        }
        ended = true;
        endedTimestamp = timestamp;
        return key(event & 0xFF);
    }

    static char key(int event) {
        if (event <= 9) {
            return (char) ('0' + event);
        }
        return event == 10 ? '*' : event == 11 ? '#' : 0;
    }
}
