package io.pinhole.wire.stun;

/**
 * A datagram that is not a well-formed STUN message, with the reason (which rule it broke, at
 * which offset). The only exception the decoders throw for bad input.
 *
 * <p>It carries no stack trace: it is thrown once per bad datagram on a media event loop, where a
 * flood of junk must stay cheap, and the reason already says everything a trace would.
 */
public final class StunException extends Exception {

    private static final long serialVersionUID = 1L;

    public StunException(String reason) {
        super(reason, null, false, false);
    }
}
