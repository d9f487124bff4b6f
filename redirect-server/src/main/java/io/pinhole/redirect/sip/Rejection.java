package io.pinhole.redirect.sip;

import java.util.List;

/**
 * Why a request is answered with an error before routing.
 *
 * @param statusCode  400, 416, 420, 481
 * @param reason      the reason phrase, saying what is wrong
 * @param unsupported option-tags for the Unsupported header of a 420, else empty
 */
record Rejection(int statusCode, String reason, List<String> unsupported) {

    Rejection {
        unsupported = List.copyOf(unsupported);
    }

    static Rejection badRequest(String reason) {
        return new Rejection(400, reason, List.of());
    }
}
