package io.pinhole.wire.ng;

/** Bytes on the wire that are not valid bencode. The message is safe to send back to the client. */
public final class BencodeException extends Exception {

    public BencodeException(String message) {
        super(message, null, false, false);
    }
}
