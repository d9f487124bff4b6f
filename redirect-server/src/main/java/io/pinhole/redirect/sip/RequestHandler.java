package io.pinhole.redirect.sip;

import javax.sip.RequestEvent;

/** Answers one kind of request. Runs on a JAIN-SIP pool thread: must never block. */
interface RequestHandler {
    void handle(RequestEvent event) throws Exception;
}
