package io.pinhole.proxy.call;

import io.pinhole.proxy.sip.SipFactories;

import javax.sip.InvalidArgumentException;
import javax.sip.message.Response;

/** The 503s that tell the caller when to try again: a Retry-After of the configured seconds. */
final class RetryLater {

    private final SipFactories factories;
    private final CallFailure failure;
    private final int seconds;

    RetryLater(SipFactories factories, CallFailure failure, int seconds) {
        this.factories = factories;
        this.failure = failure;
        this.seconds = seconds;
    }

    /** The caller's failure response for {@code call}, with Retry-After. */
    Response response(Call call, int status, String reason) {
        Response response = failure.response(call, status, reason);
        if (response != null) { // null: the call is established, nothing to refuse
            addTo(response);
        }
        return response;
    }

    void addTo(Response response) {
        try {
            response.addHeader(factories.headers().createRetryAfterHeader(seconds));
        } catch (InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }
}
