package io.pinhole.proxy.media;

import io.pinhole.proxy.nat.NatVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.pinhole.proxy.media.Legs.leg;
import static org.assertj.core.api.Assertions.assertThat;

class MediaPlannerTest {

    private static final SdpSummary PRIVATE_OFFER = offer("10.0.0.2");
    private static final MediaPolicyConfig AUTO = policy(MediaPolicy.AUTO, List.of());

    /**
     * The decision as it was before the planner (call/MediaPlanner and InviteHandler): never ->
     * DIRECT, always -> RELAY_UDP, auto -> RELAY_UDP when the caller or any callee binding is behind
     * NAT. Nothing is probed yet, so the new planner must agree on every combination.
     */
    @ParameterizedTest(name = "{0}, caller NAT {1}, callees NAT {2}")
    @CsvSource(delimiter = '|', textBlock = """
            AUTO   | false | false
            AUTO   | true  | false
            AUTO   | false | true
            AUTO   | true  | true
            AUTO   | false | false false
            AUTO   | false | false true
            AUTO   | true  | false false
            AUTO   | false | true true
            ALWAYS | false | false
            ALWAYS | true  | true false
            NEVER  | true  | true
            NEVER  | false | false true
            NEVER  | true  | false
            """)
    void decidesTheRelayAsBeforeWhileNothingIsProbed(MediaPolicy mode, boolean callerNat, String calleeNats) {
        List<LegEvidence> callees = new ArrayList<>();
        boolean anyCallee = false;
        for (String nat : calleeNats.split(" ")) {
            callees.add(notProbed("callee " + (callees.size() + 1), Boolean.parseBoolean(nat)));
            anyCallee |= Boolean.parseBoolean(nat);
        }
        MediaPath before = switch (mode) {
            case ALWAYS -> MediaPath.RELAY_UDP;
            case NEVER -> MediaPath.DIRECT;
            case AUTO -> callerNat || anyCallee ? MediaPath.RELAY_UDP : MediaPath.DIRECT;
        };

        MediaPlan plan = MediaPlanner.plan(new MediaEvidence(notProbed("caller", callerNat), callees, PRIVATE_OFFER),
                policy(mode, List.of()), RelayCapabilities.UDP_ONLY);

        assertThat(plan.media()).as(plan.reason()).isEqualTo(before);
        assertThat(plan.caller().actual()).isEqualTo(before);
        assertThat(plan.forks()).allSatisfy(f -> assertThat(f.callee().actual()).isEqualTo(before));
    }

    @Test
    void keepsEachForksReasonWhenOneForkNeedsTheRelay() {
        MediaEvidence evidence = new MediaEvidence(notProbed("caller", false),
                List.of(notProbed("callee desk", false), notProbed("callee mobile", true)), PRIVATE_OFFER);

        MediaPlan plan = MediaPlanner.plan(evidence, AUTO, RelayCapabilities.UDP_ONLY);

        assertThat(plan.media()).isEqualTo(MediaPath.RELAY_UDP);
        assertThat(plan.reason()).isEqualTo("callee mobile behind NAT, not probed: RELAY_UDP");
        PathPlan desk = plan.forCallee("callee desk");
        assertThat(desk.callee().leg()).isEqualTo("callee desk");
        assertThat(desk.callee().planned()).isEqualTo(MediaPath.DIRECT);
        assertThat(desk.callee().actual()).isEqualTo(MediaPath.RELAY_UDP);
        assertThat(desk.callee().reason()).isEqualTo("both legs public: DIRECT; relayed anyway: one offer serves every "
                + "fork, and callee mobile needs the relay: RELAY_UDP");
        assertThat(desk.caller().planned()).isEqualTo(MediaPath.DIRECT);
        assertThat(desk.caller().actual()).isEqualTo(MediaPath.RELAY_UDP);
        PathPlan mobile = plan.forCallee("callee mobile");
        assertThat(mobile.callee().planned()).isEqualTo(MediaPath.RELAY_UDP);
        assertThat(mobile.reason()).isEqualTo("callee mobile behind NAT, not probed: RELAY_UDP");
        assertThat(plan.caller().actual()).isEqualTo(MediaPath.RELAY_UDP);
    }

    @Test
    void knowsOnlyTheCallerWhenNoneOfSeveralForksAnswered() {
        MediaPlan plan = MediaPlanner.plan(new MediaEvidence(notProbed("caller", true),
                List.of(notProbed("callee desk", false), notProbed("callee mobile", false)), PRIVATE_OFFER),
                AUTO, RelayCapabilities.UDP_ONLY);

        PathPlan unanswered = plan.forCallee(null);

        assertThat(unanswered.callee()).isNull();
        assertThat(unanswered.caller().actual()).isEqualTo(MediaPath.RELAY_UDP);
        assertThat(unanswered.reason()).isEqualTo("caller behind NAT, not probed: RELAY_UDP");
    }

    @Test
    void aSingleCalleeLegAnswersForWhicheverTargetAnswered() {
        MediaPlan plan = MediaPlanner.plan(new MediaEvidence(notProbed("caller", true),
                List.of(notProbed("callee via redirect", false)), PRIVATE_OFFER), AUTO, RelayCapabilities.UDP_ONLY);

        assertThat(plan.forCallee("callee 198.51.100.7:5060/UDP")).isSameAs(plan.forks().get(0));
        assertThat(plan.forCallee(null)).isSameAs(plan.forks().get(0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                   | policy | trusted                 | offer addresses           | media     | reason
            offer on a trusted relay                 | AUTO   | 203.0.113.1             | 203.0.113.1               | DIRECT    | offer already on trusted relay 203.0.113.1: no second relay: DIRECT
            trusted even when the policy says always | ALWAYS | 203.0.113.1             | 203.0.113.1               | DIRECT    | offer already on trusted relay 203.0.113.1
            one of several trusted relays            | AUTO   | 198.51.100.1 203.0.113.1| 203.0.113.1               | DIRECT    | offer already on trusted relay 203.0.113.1
            hold address aside                       | AUTO   | 203.0.113.1             | 203.0.113.1 0.0.0.0       | DIRECT    | offer already on trusted relay 203.0.113.1:
            a stream elsewhere                       | AUTO   | 203.0.113.1             | 203.0.113.1 10.0.0.2      | RELAY_UDP | caller behind NAT, not probed: RELAY_UDP
            only on hold is no relay                 | AUTO   | 203.0.113.1             | 0.0.0.0                   | RELAY_UDP | caller behind NAT, not probed: RELAY_UDP
            nothing trusted (an empty setting)       | AUTO   | ''                      | 203.0.113.1               | RELAY_UDP | caller behind NAT, not probed: RELAY_UDP
            """)
    void trustsAnOfferAlreadyOnATrustedRelay(String name, MediaPolicy mode, String trusted, String addresses,
                                             MediaPath media, String reason) {
        SdpSummary offer = offer(addresses.split(" "));
        MediaPlan plan = MediaPlanner.plan(new MediaEvidence(notProbed("caller", true),
                List.of(notProbed("callee", false)), offer), policy(mode, List.of(trusted.split(" "))),
                RelayCapabilities.UDP_ONLY);

        assertThat(plan.media()).as(plan.reason()).isEqualTo(media);
        assertThat(plan.relayWanted()).isTrue();
        assertThat(plan.forks().get(0).caller().planned()).isEqualTo(MediaPath.RELAY_UDP);
        assertThat(plan.forks().get(0).caller().actual()).isEqualTo(media);
        assertThat(plan.forks().get(0).reason()).contains(reason);
    }

    @Test
    void aLateOfferIsNotRelayedAndSaysSo() {
        MediaPlan plan = MediaPlanner.plan(new MediaEvidence(notProbed("caller", true), List.of(notProbed("callee", false)),
                null), AUTO, RelayCapabilities.UDP_ONLY);

        assertThat(plan.media()).isEqualTo(MediaPath.DIRECT);
        assertThat(plan.relayWanted()).isTrue();
        assertThat(plan.reason()).isEqualTo("INVITE without SDP (late offer), media not relayed");
        LegPlan caller = plan.forks().get(0).caller();
        assertThat(caller.planned()).isEqualTo(MediaPath.RELAY_UDP);
        assertThat(caller.actual()).isEqualTo(MediaPath.DIRECT);
        assertThat(caller.reason()).isEqualTo("caller behind NAT, not probed: RELAY_UDP; INVITE without SDP (late offer), "
                + "media not relayed: DIRECT");
    }

    @Test
    void aLateOfferBetweenPublicPhonesWantedNoRelay() {
        MediaPlan plan = MediaPlanner.plan(new MediaEvidence(notProbed("caller", false),
                List.of(notProbed("callee", false)), null), AUTO, RelayCapabilities.UDP_ONLY);

        assertThat(plan.media()).isEqualTo(MediaPath.DIRECT);
        assertThat(plan.relayWanted()).isFalse();
        assertThat(plan.reason()).isEqualTo("both legs public: DIRECT");
    }

    @Test
    void aPunchedForkIsRelayedTodayAndTheCallGetsTheRelay() {
        MediaEvidence evidence = new MediaEvidence(leg("caller", "nat map=EIM filt=APDF send=Y recv=N"),
                List.of(leg("callee", "nat map=EIM filt=EIF send=Y recv=Y")), PRIVATE_OFFER);

        MediaPlan plan = MediaPlanner.plan(evidence, AUTO, RelayCapabilities.UDP_ONLY);

        assertThat(plan.media()).isEqualTo(MediaPath.RELAY_UDP);
        assertThat(plan.caller().planned()).isEqualTo(MediaPath.PUNCH);
        assertThat(plan.caller().actual()).isEqualTo(MediaPath.RELAY_UDP);
        assertThat(plan.caller().reason()).endsWith("punch planned, not yet supported: relayed");
    }

    @Test
    void policyNeverLeavesEveryForkDirect() {
        MediaPlan plan = MediaPlanner.plan(new MediaEvidence(notProbed("caller", false),
                List.of(notProbed("callee desk", false), notProbed("callee mobile", true)), PRIVATE_OFFER),
                policy(MediaPolicy.NEVER, List.of()), RelayCapabilities.UDP_ONLY);

        assertThat(plan.media()).isEqualTo(MediaPath.DIRECT);
        assertThat(plan.relayWanted()).isFalse();
        assertThat(plan.caller().actual()).isEqualTo(MediaPath.DIRECT);
        assertThat(plan.reason()).isEqualTo("policy never relays: DIRECT");
    }

    private static LegEvidence notProbed(String name, boolean behindNat) {
        return new LegEvidence(name, "example.org", LegCapabilities.notProbed(
                behindNat ? Legs.BEHIND_NAT : NatVerdict.PUBLIC, Set.of("UDP")));
    }

    private static MediaPolicyConfig policy(MediaPolicy mode, List<String> trusted) {
        return new MediaPolicyConfig(mode, trusted, true, Set.of());
    }

    private static SdpSummary offer(String... addresses) {
        List<SdpSummary.Media> media = new ArrayList<>();
        for (int i = 1; i < addresses.length; i++) {
            media.add(new SdpSummary.Media("audio", 4000 + 2 * i, addresses[i]));
        }
        return new SdpSummary(addresses[0], media);
    }
}
