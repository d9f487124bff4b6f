package io.pinhole.proxy.registrar;

import io.pinhole.proxy.sip.Flow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RegistrationPlannerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final RegistrarPolicy POLICY = new RegistrarPolicy(60, 7200, 3600, 3);
    private static final Flow FLOW = new Flow("203.0.113.7", 40123, "UDP");

    private static RegisterRequest request(String callId, long cseq, Integer expiresHeader, ContactSpec... contacts) {
        return new RegisterRequest(1, "alice@a.example", callId, cseq, expiresHeader, false, List.of(contacts), FLOW,
                "ua", NOW);
    }

    private static ContactSpec contact(String uri, Integer expires) {
        return new ContactSpec(uri, expires, null, null, null);
    }

    private static RegistrationResult.Accepted accepted(RegistrationResult result) {
        assertThat(result).isInstanceOf(RegistrationResult.Accepted.class);
        return (RegistrationResult.Accepted) result;
    }

    @Test
    void createsBindingWithHeaderExpiresAndTheFlow() {
        var result = accepted(RegistrationPlanner.plan(request("c1", 1, 600, contact("sip:a@10.0.0.2", null)), List.of(), POLICY));

        assertThat(result.bindings()).singleElement().satisfies(b -> {
            assertThat(b.expiresSeconds()).isEqualTo(600);
            assertThat(b.expiresAt()).isEqualTo(NOW.plusSeconds(600));
            assertThat(b.flow()).isEqualTo(FLOW);
        });
        assertThat(result.upserts()).hasSize(1);
    }

    @Test
    void contactParameterWinsOverHeaderAndDefaultApplies() {
        var result = accepted(RegistrationPlanner.plan(request("c1", 1, 600,
                contact("sip:a@10.0.0.2", 120), contact("sip:a@10.0.0.3", null)), List.of(), POLICY));
        var noHeader = accepted(RegistrationPlanner.plan(request("c2", 1, null, contact("sip:a@10.0.0.4", null)), List.of(), POLICY));

        assertThat(result.bindings()).extracting(Binding::expiresSeconds).containsExactly(120, 600);
        assertThat(noHeader.bindings()).extracting(Binding::expiresSeconds).containsExactly(3600);
    }

    @Test
    void tooBriefIsRejectedWithMinExpiresAndTooLongIsCapped() {
        var brief = RegistrationPlanner.plan(request("c1", 1, 30, contact("sip:a@10.0.0.2", null)), List.of(), POLICY);
        var long_ = accepted(RegistrationPlanner.plan(request("c1", 1, 999999, contact("sip:a@10.0.0.2", null)), List.of(), POLICY));

        assertThat(brief).isEqualTo(new RegistrationResult.Rejected(423, "Interval Too Brief", 60));
        assertThat(long_.bindings().get(0).expiresSeconds()).isEqualTo(7200);
    }

    @Test
    void expiresZeroRemovesOnlyThatContact() {
        var first = accepted(RegistrationPlanner.plan(request("c1", 1, 600,
                contact("sip:a@10.0.0.2", null), contact("sip:a@10.0.0.3", null)), List.of(), POLICY));

        var result = accepted(RegistrationPlanner.plan(request("c1", 2, 0, contact("sip:a@10.0.0.2", null)),
                first.bindings(), POLICY));

        assertThat(result.bindings()).extracting(Binding::contactUri).containsExactly("sip:a@10.0.0.3");
        assertThat(result.removals()).extracting(Binding::contactUri).containsExactly("sip:a@10.0.0.2");
    }

    @Test
    void wildcardRemovesAllButOnlyWithExpiresZeroAlone() {
        var first = accepted(RegistrationPlanner.plan(request("c1", 1, 600,
                contact("sip:a@10.0.0.2", null), contact("sip:a@10.0.0.3", null)), List.of(), POLICY));
        var wildcard = new RegisterRequest(1, "alice@a.example", "c9", 1, 0, true, List.of(), FLOW, "ua", NOW);
        var wildcardNoZero = new RegisterRequest(1, "alice@a.example", "c9", 1, 60, true, List.of(), FLOW, "ua", NOW);
        var wildcardMixed = new RegisterRequest(1, "alice@a.example", "c9", 1, 0, true,
                List.of(contact("sip:a@10.0.0.2", null)), FLOW, "ua", NOW);

        var removed = accepted(RegistrationPlanner.plan(wildcard, first.bindings(), POLICY));

        assertThat(removed.bindings()).isEmpty();
        assertThat(removed.removals()).hasSize(2);
        assertThat(RegistrationPlanner.plan(wildcardNoZero, first.bindings(), POLICY))
                .isInstanceOf(RegistrationResult.Rejected.class);
        assertThat(RegistrationPlanner.plan(wildcardMixed, first.bindings(), POLICY))
                .isInstanceOf(RegistrationResult.Rejected.class);
    }

    @Test
    void sameCallIdWithLowerOrEqualCseqIsRejected() {
        var first = accepted(RegistrationPlanner.plan(request("c1", 5, 600, contact("sip:a@10.0.0.2", null)), List.of(), POLICY));

        var replay = RegistrationPlanner.plan(request("c1", 5, 600, contact("sip:a@10.0.0.2", null)), first.bindings(), POLICY);
        var otherCallId = RegistrationPlanner.plan(request("c2", 1, 600, contact("sip:a@10.0.0.2", null)), first.bindings(), POLICY);

        assertThat(replay).isInstanceOf(RegistrationResult.Rejected.class);
        assertThat(accepted(otherCallId).bindings()).hasSize(1);
    }

    @Test
    void outboundInstanceReplacesItsBindingWhenTheContactChanges() {
        var before = new ContactSpec("sip:a@10.0.0.2:5060", null, null, "<urn:uuid:1>", 1);
        var after = new ContactSpec("sip:a@10.0.0.9:5062", null, null, "<urn:uuid:1>", 1);
        var first = accepted(RegistrationPlanner.plan(request("c1", 1, 600, before), List.of(), POLICY));

        var result = accepted(RegistrationPlanner.plan(request("c2", 1, 600, after), first.bindings(), POLICY));

        assertThat(result.bindings()).extracting(Binding::contactUri).containsExactly("sip:a@10.0.0.9:5062");
    }

    @Test
    void oneInstanceKeepsOneBindingPerRegIdAndEachRegIdReplacesOnlyItsOwn() {
        // RFC 5626 5.2: a phone with two flows (reg-id 1 and 2) has two bindings; re-registering
        // reg-id 2 over a new connection replaces that flow's binding and leaves reg-id 1 alone
        var first = new ContactSpec("sip:a@10.0.0.2:5060;transport=tcp", null, null, "<urn:uuid:1>", 1);
        var second = new ContactSpec("sip:a@10.0.0.2:5070;transport=tcp", null, null, "<urn:uuid:1>", 2);
        var secondAgain = new ContactSpec("sip:a@10.0.0.2:5071;transport=tcp", null, null, "<urn:uuid:1>", 2);
        var both = accepted(RegistrationPlanner.plan(request("c1", 1, 600, first), List.of(), POLICY));
        both = accepted(RegistrationPlanner.plan(request("c2", 1, 600, second), both.bindings(), POLICY));
        assertThat(both.bindings()).hasSize(2);

        var result = accepted(RegistrationPlanner.plan(request("c3", 1, 600, secondAgain), both.bindings(), POLICY));

        assertThat(result.bindings()).extracting(Binding::contactUri)
                .containsExactlyInAnyOrder("sip:a@10.0.0.2:5060;transport=tcp", "sip:a@10.0.0.2:5071;transport=tcp");
    }

    @Test
    void tooManyContactsIsRejectedAndNothingChanges() {
        var result = RegistrationPlanner.plan(request("c1", 1, 600, contact("sip:a@1", null), contact("sip:a@2", null),
                contact("sip:a@3", null), contact("sip:a@4", null)), List.of(), POLICY);

        assertThat(result).isInstanceOf(RegistrationResult.Rejected.class);
        assertThat(((RegistrationResult.Rejected) result).status()).isEqualTo(403);
    }

    @Test
    void queryWithoutContactsListsCurrentBindings() {
        var first = accepted(RegistrationPlanner.plan(request("c1", 1, 600, contact("sip:a@10.0.0.2", null)), List.of(), POLICY));

        var query = accepted(RegistrationPlanner.plan(request("c7", 1, null), first.bindings(), POLICY));

        assertThat(query.bindings()).hasSize(1);
        assertThat(query.changed()).isFalse();
    }
}
