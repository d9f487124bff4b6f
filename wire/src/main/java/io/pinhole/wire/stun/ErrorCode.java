package io.pinhole.wire.stun;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ERROR-CODE value (RFC 5389 section 15.6): a code 300-699 as class (hundreds) and number,
 * and a UTF-8 reason phrase.
 */
public record ErrorCode(int code, String reason) {

    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHORIZED = 401;
    public static final int UNKNOWN_ATTRIBUTE = 420;

    public ErrorCode {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("a STUN error code is 300-699, was " + code);
        }
        if (reason == null) {
            throw new IllegalArgumentException("reason phrase missing");
        }
    }

    /**
     * @param rfc3489 pad the reason phrase with spaces to a multiple of 4 bytes, as RFC 3489
     *                section 11.2.9 required (its clients refuse other lengths)
     */
    public byte[] encode(boolean rfc3489) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = rfc3489 ? (text.length + 3) & ~3 : text.length;
        byte[] value = new byte[4 + length];
        Arrays.fill(value, 4, value.length, (byte) ' ');
        value[2] = (byte) (code / 100);
        value[3] = (byte) (code % 100);
        System.arraycopy(text, 0, value, 4, text.length);
        return value;
    }

    public static ErrorCode decode(byte[] value) throws StunException {
        if (value.length < 4) {
            throw new StunException("ERROR-CODE of " + value.length + " bytes, at least 4 expected");
        }
        int errorClass = value[2] & 0x07;
        int number = value[3] & 0xFF;
        if (errorClass < 3 || errorClass > 6 || number > 99) {
            throw new StunException("ERROR-CODE class " + errorClass + " number " + number + " is not a code 300-699");
        }
        return new ErrorCode(errorClass * 100 + number,
                new String(value, 4, value.length - 4, StandardCharsets.UTF_8));
    }
}
