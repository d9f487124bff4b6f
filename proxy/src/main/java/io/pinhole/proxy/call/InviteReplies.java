package io.pinhole.proxy.call;

import io.pinhole.proxy.sip.IncomingRequest;
import io.pinhole.proxy.sip.Responder;
import io.pinhole.proxy.sip.SipMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The proxy's own answers to a new INVITE: 100 Trying, and a refusal with one log line and a count. */
final class InviteReplies {

    private static final Logger LOG = LoggerFactory.getLogger(InviteReplies.class);

    private final Responder responder;
    private final SipMetrics metrics;

    InviteReplies(Responder responder, SipMetrics metrics) {
        this.responder = responder;
        this.metrics = metrics;
    }

    void trying(IncomingRequest in) {
        responder.reply(in, 100, "Trying");
    }

    void reject(IncomingRequest in, int status, String reason) {
        LOG.info("INVITE {} from {}:{} rejected: {} {}", in.callId(), in.flow().address(), in.flow().port(), status, reason);
        metrics.callRejected(String.valueOf(status));
        responder.reply(in, status, reason);
    }
}
