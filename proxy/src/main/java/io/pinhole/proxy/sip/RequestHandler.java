package io.pinhole.proxy.sip;

/** Handles the out-of-dialog requests of one SIP method. */
public interface RequestHandler {

    String method();

    void handle(IncomingRequest request);
}
