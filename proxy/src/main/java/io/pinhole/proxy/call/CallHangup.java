package io.pinhole.proxy.call;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The proxy itself ends an established call: a BYE to each side along its own flow (with a
 * Reason saying why), then the usual end (relay delete, CDR with the outcome). Whoever calls
 * this must not be a SIP stack thread: a BYE over TCP may wait for its connection.
 */
final class CallHangup {

    private static final Logger LOG = LoggerFactory.getLogger(CallHangup.class);

    /** Why the proxy hangs up: the CDR outcome and the BYE's Reason text. */
    enum Why {
        MEDIA_TIMEOUT("media-timeout", "Media timeout"),
        SESSION_EXPIRED("session-expired", "Session expired"),
        /** The call's relay died and the call could not be moved to another (see {@link RelayFailover}). */
        RELAY_FAILED("relay-failed", "Media relay failed");

        final String outcome;
        final String text;

        Why(String outcome, String text) {
            this.outcome = outcome;
            this.text = text;
        }
    }

    private final CallMessages messages;
    private final CallTerminator terminator;
    private final Map<Why, Counter> hangups = new EnumMap<>(Why.class);

    CallHangup(CallMessages messages, CallTerminator terminator, MeterRegistry meters) {
        this.messages = messages;
        this.terminator = terminator;
        for (Why why : Why.values()) {
            hangups.put(why, Counter.builder("pinhole.calls.hangups").tag("reason", why.outcome)
                    .description("Established calls the proxy ended itself").register(meters));
        }
    }

    /** @return false when the call was not established, or had ended meanwhile (then nothing is sent) */
    boolean hangUp(Call call, Why why) {
        return hangUp(call, why, c -> true);
    }

    /**
     * @param stillDue checked under the call's lock, so a decision taken a moment ago (a session
     *                 refreshed meanwhile) is not acted on
     */
    boolean hangUp(Call call, Why why, Predicate<Call> stillDue) {
        Leg caller;
        Leg callee;
        synchronized (call) {
            if (call.state != Call.State.ANSWERED || !stillDue.test(call)) {
                return false;
            }
            caller = call.leg(Side.CALLER);
            callee = call.leg(Side.CALLEE);
        }
        // Ending first makes the BYEs exactly-once: a BYE from a phone racing this one ends the
        // call there, and this returns before sending anything.
        if (!terminator.end(call, why.outcome, 200)) {
            return false;
        }
        hangups.get(why).increment();
        bye(call, caller, Side.CALLER, why);
        bye(call, callee, Side.CALLEE, why);
        return true;
    }

    private void bye(Call call, Leg leg, Side side, Why why) {
        try {
            messages.sendInDialog(leg.dialog(), leg.flow(), messages.bye(leg.dialog(), why.text));
        } catch (Exception e) {
            LOG.info("call {}: BYE ({}) towards the {} failed: {}", call.callerCallId, why.outcome, side, e.toString());
        }
    }
}
