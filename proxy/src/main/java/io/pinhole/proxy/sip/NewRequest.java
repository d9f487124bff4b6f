package io.pinhole.proxy.sip;

import javax.sip.SipProvider;
import javax.sip.message.Request;

/**
 * A request outside any dialog before a server transaction exists for it: what a handler sees
 * when it may answer without one (a challenge, an overload refusal).
 */
public record NewRequest(Request request, SipProvider provider) {
}
