package io.pinhole.wire.stun;

/**
 * Attribute type numbers this package reads or writes (IANA "STUN Attributes" registry), and the
 * comprehension rule of RFC 5389 section 15: types below 0x8000 must be understood by whoever
 * processes the message, the rest may be ignored.
 */
public final class StunAttributeType {

    public static final int MAPPED_ADDRESS = 0x0001;
    /** RFC 3489 only; reserved since RFC 5389. */
    public static final int RESPONSE_ADDRESS = 0x0002;
    /** RFC 5780 (first defined by RFC 3489). */
    public static final int CHANGE_REQUEST = 0x0003;
    /** RFC 3489's name for what RFC 5780 calls RESPONSE-ORIGIN; reserved since RFC 5389. */
    public static final int SOURCE_ADDRESS = 0x0004;
    /** RFC 3489's name for what RFC 5780 calls OTHER-ADDRESS; reserved since RFC 5389. */
    public static final int CHANGED_ADDRESS = 0x0005;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    /** RFC 8445 (ICE). */
    public static final int PRIORITY = 0x0024;
    /** RFC 8445 (ICE). */
    public static final int USE_CANDIDATE = 0x0025;
    /** RFC 5780. */
    public static final int PADDING = 0x0026;
    /** RFC 5780. */
    public static final int RESPONSE_PORT = 0x0027;
    public static final int SOFTWARE = 0x8022;
    public static final int ALTERNATE_SERVER = 0x8023;
    public static final int FINGERPRINT = 0x8028;
    /** RFC 5780. */
    public static final int RESPONSE_ORIGIN = 0x802B;
    /** RFC 5780. */
    public static final int OTHER_ADDRESS = 0x802C;

    private StunAttributeType() {
    }

    /** RFC 5389 section 15: 0x0000-0x7FFF must be understood, 0x8000-0xFFFF may be ignored. */
    public static boolean comprehensionRequired(int type) {
        return type < 0x8000;
    }
}
