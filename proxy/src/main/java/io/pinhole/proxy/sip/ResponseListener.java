package io.pinhole.proxy.sip;

import javax.sip.message.Response;

/**
 * Owner of a client transaction outside the call layer (a redirect query): gets that
 * transaction's responses and its timeout. Set as the transaction's application data.
 */
public interface ResponseListener {

    void onResponse(Response response);

    void onTimeout();
}
