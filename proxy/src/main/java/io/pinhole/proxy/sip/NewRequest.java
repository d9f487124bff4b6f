package io.pinhole.proxy.sip;

import javax.sip.SipProvider;
import javax.sip.message.Request;

/**
 * A request outside any dialog before a server transaction exists for it: what a handler sees
 * when it may answer without one (a challenge, an overload refusal).
 */
public record NewRequest(Request request, SipProvider provider) {

    /** Where the request came from: its packet's source and the transport. */
    public io.pinhole.proxy.sip.Flow source() {
        return SipDispatcher.flowOf(request, provider);
    }
}
