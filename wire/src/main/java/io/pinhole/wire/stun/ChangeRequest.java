package io.pinhole.wire.stun;

/**
 * The CHANGE-REQUEST value (RFC 5780 section 7.2): 32 bits of which bit A (0x4) asks for the
 * response from the other IP address and bit B (0x2) from the other port.
 */
public record ChangeRequest(boolean changeIp, boolean changePort) {

    static final int CHANGE_IP = 0x4;
    static final int CHANGE_PORT = 0x2;

    public byte[] encode() {
        return new byte[] {0, 0, 0, (byte) ((changeIp ? CHANGE_IP : 0) | (changePort ? CHANGE_PORT : 0))};
    }

    /** The two flags; the other 30 bits are ignored (they have no meaning yet). */
    public static ChangeRequest decode(byte[] value) throws StunException {
        if (value.length != 4) {
            throw new StunException("CHANGE-REQUEST of " + value.length + " bytes, not 4");
        }
        return new ChangeRequest((value[3] & CHANGE_IP) != 0, (value[3] & CHANGE_PORT) != 0);
    }
}
