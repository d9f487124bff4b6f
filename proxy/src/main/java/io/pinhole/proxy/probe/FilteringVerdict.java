package io.pinhole.proxy.probe;

/**
 * Reads the two answers of a filtering probe, a pure function. The same OPTIONS goes to the
 * phone's flow twice: from the SIP port it registered to (the NAT expects that one) and from
 * another port of ours (unsolicited). Only an answer to the first makes the silence of the second
 * mean something: a phone that answers no OPTIONS tells nothing.
 */
public final class FilteringVerdict {

    private FilteringVerdict() {
    }

    public static Result of(boolean behindNat, boolean answeredOnFlow, boolean answeredUnsolicited) {
        if (answeredUnsolicited) {
            return behindNat
                    ? new Result(Filtering.PORT_INDEPENDENT, "a probe from another port of ours got through the NAT")
                    : new Result(Filtering.NONE, "no NAT, and a probe from another port of ours got through");
        }
        if (answeredOnFlow) {
            return new Result(Filtering.ADDRESS_AND_PORT_DEPENDENT,
                    "only the registration flow gets through: unsolicited UDP from another port is dropped");
        }
        return new Result(Filtering.UNKNOWN, "the phone answered neither probe (it may ignore OPTIONS)");
    }

    public record Result(Filtering filtering, String reason) {
    }
}
