package io.pinhole.redirect.sip;

import javax.sip.RequestEvent;

/**
 * ACK: the only ACKs a redirect server gets are for its own 3xx/4xx answers (it never answers
 * an INVITE with 2xx), and those end the exchange: nothing to do, nothing to answer.
 */
final class AckHandler implements RequestHandler {

    @Override
    public void handle(RequestEvent event) {
        // absorbed
    }
}
