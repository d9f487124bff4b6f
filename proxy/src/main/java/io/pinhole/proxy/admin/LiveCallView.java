package io.pinhole.proxy.admin;

import io.pinhole.proxy.call.CallRegistry;
import io.pinhole.proxy.relay.Relay;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** A call in progress, from this proxy's memory. */
public record LiveCallView(
        @Schema(description = "the caller leg's Call-ID (also the CDR's callId)") String callId,
        String caller, String callee,
        @Schema(allowableValues = {"ROUTING", "EARLY", "ANSWERED"}) String state,
        Instant startedAt, Instant answeredAt,
        @Schema(description = "DIRECT or RELAY_UDP") String mediaPath,
        @Schema(description = "the relay carrying the media, or null") RelayRef relay,
        LegView callerLeg,
        @Schema(description = "the answering leg; null until the call is answered") LegView calleeLeg) {

    /** The relay a call's media goes through. */
    public record RelayRef(@Schema(nullable = true, description = "null for the configured default relay") Long id,
                           String name) {
    }

    /**
     * One leg: where its packets come from (the flow we answer it on) and the NAT verdict.
     *
     * @param natReasons the evidence for the verdict (empty when public)
     */
    public record LegView(String address, int port, String transport, boolean behindNat, List<String> natReasons) {
    }

    static LiveCallView of(CallRegistry.LiveCall call) {
        Relay relay = call.relay();
        return new LiveCallView(call.callId(), call.caller(), call.callee(), call.state(), call.startedAt(),
                call.answeredAt(), call.mediaPath(), relay == null ? null : new RelayRef(relay.id(), relay.name()),
                leg(call.callerLeg()), leg(call.calleeLeg()));
    }

    private static LegView leg(CallRegistry.LiveLeg leg) {
        return leg == null ? null : new LegView(leg.flow().address(), leg.flow().port(), leg.flow().transport(),
                leg.nat().behindNat(), leg.nat().reasons());
    }
}
