package io.pinhole.proxy.sip;


import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.message.Request;

/** A request with its server transaction and the flow it arrived on. */
public record IncomingRequest(Request request, ServerTransaction transaction, SipProvider provider, Flow flow) {

    public String callId() {
        var callId = (javax.sip.header.CallIdHeader) request.getHeader(javax.sip.header.CallIdHeader.NAME);
        return callId == null ? "-" : callId.getCallId();
    }
}
