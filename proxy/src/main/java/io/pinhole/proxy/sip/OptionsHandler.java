package io.pinhole.proxy.sip;

import org.springframework.stereotype.Component;

/** OPTIONS to the proxy: 200, the keepalive and health probe phones and load balancers use. */
@Component
public class OptionsHandler implements RequestHandler {

    private final Responder responder;
    private final SipFactories factories;

    public OptionsHandler(Responder responder, SipFactories factories) {
        this.responder = responder;
        this.factories = factories;
    }

    @Override
    public String method() {
        return "OPTIONS";
    }

    @Override
    public void handle(IncomingRequest in) {
        responder.reply(in, 200, "OK", response -> {
            try {
                response.addHeader(factories.headers().createAllowHeader(SipDispatcher.ALLOW));
                response.addHeader(factories.headers().createSupportedHeader("outbound"));
            } catch (java.text.ParseException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
