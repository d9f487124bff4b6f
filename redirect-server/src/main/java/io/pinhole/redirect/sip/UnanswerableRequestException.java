package io.pinhole.redirect.sip;

/**
 * The answer cannot be sent where the request's Via says (a transport this server does not
 * listen on, a port out of range): wire input, not a server fault, so no 500 follows.
 */
final class UnanswerableRequestException extends RuntimeException {

    UnanswerableRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
