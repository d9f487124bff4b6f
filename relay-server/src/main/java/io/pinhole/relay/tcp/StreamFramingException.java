package io.pinhole.relay.tcp;

import io.netty.handler.codec.DecoderException;

/** A connection broke the framing; it is closed, and the message names why. */
final class StreamFramingException extends DecoderException {

    StreamFramingException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // a peer's mistake, not ours: the message says it all
    }
}
