package io.pinhole.proxy.keepalive;

import io.pinhole.proxy.registrar.Binding;

/** Puts a keepalive on the wire along a binding's flow. Must not block the pinger's thread. */
public interface PingSender {

    /** A SIP OPTIONS to the binding's Contact, sent to its flow, with Call-ID {@code callIdPrefix@<our host>}. */
    void options(Binding binding, String callIdPrefix);

    /** A CRLF keepalive on the binding's TCP/TLS connection; {@code delivered} runs once it was written. */
    void crlf(Binding binding, Runnable delivered);
}
