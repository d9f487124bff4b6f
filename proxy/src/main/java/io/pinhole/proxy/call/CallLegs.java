package io.pinhole.proxy.call;

import io.pinhole.proxy.media.LegCapabilities;
import io.pinhole.proxy.media.LegEvidence;
import io.pinhole.proxy.media.MediaEvidence;
import io.pinhole.proxy.media.MediaPlan;
import io.pinhole.proxy.media.MediaPlanner;
import io.pinhole.proxy.media.MediaPolicyConfig;
import io.pinhole.proxy.media.RelayCapabilities;
import io.pinhole.proxy.media.SdpSummary;
import io.pinhole.proxy.nat.NatDetector;
import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.IncomingRequest;

import javax.sip.address.AddressFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A new call's legs as the media planner sees them: the caller's, and one per callee binding (or
 * one for the proxy or trunk a call is forwarded to), each with its NAT verdict and what its
 * network lets through; then the plan for them, and where each fork goes. Reads memory only.
 */
final class CallLegs {

    private final FlowKnowledge flows;
    private final MediaPolicyConfig policy;
    /** What the relays carry out (UDP, hole punching, the stream transports they said they serve), asked per call. */
    private final Supplier<RelayCapabilities> relayCapabilities;
    private final AddressFactory addresses;

    CallLegs(FlowKnowledge flows, MediaPolicyConfig policy, Supplier<RelayCapabilities> relayCapabilities,
             AddressFactory addresses) {
        this.flows = flows;
        this.policy = policy;
        this.relayCapabilities = relayCapabilities;
        this.addresses = addresses;
    }

    /**
     * @param destinations where the forks go: one per binding, empty for a server leg (its
     *                     destination is known later, or is the cluster peer's)
     */
    record Planned(NatVerdict callerNat, MediaPlan plan, List<Destination> destinations) {
    }

    /** The callee registered here: a leg, and a destination, per binding to fork to. */
    Planned toBindings(IncomingRequest in, String caller, String callee, List<Binding> live, SdpSummary offer,
                       Instant now) {
        NatVerdict callerNat = NatDetector.detect(NatEvidences.caller(in.flow(), in.request(), offer));
        List<Destination> destinations = new ArrayList<>();
        List<LegEvidence> calleeLegs = new ArrayList<>();
        for (Binding binding : live) {
            NatVerdict verdict = NatDetector.detect(NatEvidences.callee(binding, addresses));
            destinations.add(Destination.of(binding, verdict));
            calleeLegs.add(new LegEvidence(Call.calleeLegName(binding.flow()), domainOf(callee),
                    flows.callee(binding, verdict)));
        }
        return new Planned(callerNat, plan(in, caller, callerNat, calleeLegs, offer, now), List.copyOf(destinations));
    }

    /**
     * One leg to a proxy or trunk (the cluster peer holding the callee's flow, or whichever
     * redirect target answers): taken as public, not probed.
     */
    Planned toServer(IncomingRequest in, String caller, String legName, String callee, SdpSummary offer, Instant now) {
        NatVerdict callerNat = NatDetector.detect(NatEvidences.caller(in.flow(), in.request(), offer));
        LegEvidence server = new LegEvidence(legName, domainOf(callee), LegCapabilities.notProbed(NatVerdict.PUBLIC,
                Set.of()));
        return new Planned(callerNat, plan(in, caller, callerNat, List.of(server), offer, now), List.of());
    }

    private MediaPlan plan(IncomingRequest in, String caller, NatVerdict callerNat, List<LegEvidence> calleeLegs,
                           SdpSummary offer, Instant now) {
        LegEvidence callerLeg = new LegEvidence("caller", domainOf(caller), flows.caller(caller, in.flow(), callerNat, now));
        return MediaPlanner.plan(new MediaEvidence(callerLeg, calleeLegs, offer), policy, relayCapabilities.get());
    }

    private static String domainOf(String addressOfRecord) {
        return addressOfRecord.substring(addressOfRecord.indexOf('@') + 1);
    }
}
