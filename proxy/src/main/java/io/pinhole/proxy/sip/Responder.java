package io.pinhole.proxy.sip;

import io.pinhole.sip.PeerGone;
import io.pinhole.sip.ResponseBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.text.ParseException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/** Builds and sends responses on a server transaction; the one place responses leave. */
@Component
public class Responder {

    private static final Logger LOG = LoggerFactory.getLogger(Responder.class);

    private final ResponseBuilder responses;
    private final SipMetrics metrics;

    public Responder(SipFactories factories, SipMetrics metrics) {
        // a random To tag: the server transaction resends the same response to a retransmission
        this.responses = new ResponseBuilder(factories.messages(), factories.headers(),
                request -> Long.toHexString(ThreadLocalRandom.current().nextLong()), List.of("Pinhole"));
        this.metrics = metrics;
    }

    public Response create(Request request, int status, String reason) {
        try {
            return responses.create(request, status, reason);
        } catch (ParseException e) {
            throw new IllegalStateException("could not build a " + status + " response", e);
        }
    }

    public void send(ServerTransaction transaction, Response response) {
        try {
            ServerResponses.send(transaction, response);
            metrics.responseOut(response.getStatusCode());
        } catch (Exception e) {
            // The peer went away or the transaction ended; nothing to retry at this layer.
            // the response's Call-ID: a finished transaction no longer holds its request
            log(response.getStatusCode(), callId(response), e);
        }
    }

    public void reply(IncomingRequest in, int status, String reason) {
        reply(in, status, reason, r -> {
        });
    }

    public void reply(IncomingRequest in, int status, String reason, Consumer<Response> decorate) {
        Response response = create(in.request(), status, reason);
        decorate.accept(response);
        send(in.transaction(), response);
    }

    /** A response without a server transaction (RFC 3261 8.2.7, a stateless UAS), routed back by the top Via. */
    public void replyStatelessly(NewRequest in, int status, String reason, Consumer<Response> decorate) {
        Response response = create(in.request(), status, reason);
        decorate.accept(response);
        try {
            in.provider().sendResponse(response);
            metrics.responseOut(status);
        } catch (Exception e) {
            log(status, callId(in.request()), e);
        }
    }

    private static void log(int status, String callId, Exception e) {
        if (PeerGone.is(e)) {
            LOG.info("could not send {} for Call-ID {}: the peer closed its connection", status, callId);
        } else {
            LOG.warn("could not send {} for Call-ID {}: {}", status, callId, e.toString());
        }
    }

    private static String callId(javax.sip.message.Message message) {
        var header = message == null ? null : (javax.sip.header.CallIdHeader) message.getHeader("Call-ID");
        return header == null ? "-" : header.getCallId();
    }
}
