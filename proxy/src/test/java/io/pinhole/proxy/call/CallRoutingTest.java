package io.pinhole.proxy.call;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallRoutingTest {

    private static RouteDecision decide(boolean localCaller, String domain, String user, boolean registered,
                                        boolean subscriber, boolean room, String prefix) {
        return CallRouting.decide(new CallRouting.Facts(localCaller, domain, user, registered, subscriber, room, prefix));
    }

    @Test
    void sendsARoomOfAServedDomainToTheConference() {
        assertThat(decide(true, "a.example", "sales", false, false, true, ""))
                .isEqualTo(new RouteDecision(RouteDecision.Kind.CONFERENCE, "sales@a.example"));
        // callers of other domains reach rooms as they reach users
        assertThat(decide(false, "a.example", "sales", false, false, true, "").kind())
                .isEqualTo(RouteDecision.Kind.CONFERENCE);
    }

    @Test
    void aRoomWinsOverAUserOfTheSameName() {
        assertThat(decide(true, "a.example", "sales", true, true, true, "").kind())
                .isEqualTo(RouteDecision.Kind.CONFERENCE);
    }

    @Test
    void opensAnAdhocRoomOnlyWithAPrefixAndSomethingAfterIt() {
        assertThat(decide(true, "a.example", "conf-42", false, false, false, "conf-"))
                .isEqualTo(new RouteDecision(RouteDecision.Kind.CONFERENCE, "conf-42@a.example"));
        assertThat(decide(true, "a.example", "conf-", false, false, false, "conf-").kind())
                .isEqualTo(RouteDecision.Kind.NOT_FOUND);
        assertThat(decide(true, "a.example", "conf-42", false, false, false, "").kind())
                .as("ad hoc rooms off").isEqualTo(RouteDecision.Kind.NOT_FOUND);
    }

    @Test
    void noRoomOutsideTheServedDomains() {
        assertThat(decide(true, null, "conf-42", false, false, false, "conf-").kind())
                .isEqualTo(RouteDecision.Kind.REDIRECT);
        assertThat(decide(false, null, "conf-42", false, false, false, "conf-").kind())
                .isEqualTo(RouteDecision.Kind.RELAYING_DENIED);
    }

    @Test
    void keepsTheOrdinaryOutcomes() {
        assertThat(decide(true, "a.example", "bob", true, true, false, ""))
                .isEqualTo(new RouteDecision(RouteDecision.Kind.LOCAL, "bob@a.example"));
        assertThat(decide(true, "a.example", "bob", false, true, false, "").kind())
                .isEqualTo(RouteDecision.Kind.UNAVAILABLE);
        assertThat(decide(true, "a.example", "+4930123", false, false, false, "").kind())
                .as("a number for the trunks").isEqualTo(RouteDecision.Kind.REDIRECT);
        assertThat(decide(false, "a.example", "+4930123", false, false, false, "").kind())
                .as("only local callers reach trunks").isEqualTo(RouteDecision.Kind.NOT_FOUND);
        assertThat(decide(true, "a.example", "nobody", false, false, false, "").kind())
                .isEqualTo(RouteDecision.Kind.NOT_FOUND);
    }

    @Test
    void aPeerReachesOnlyPhonesRegisteredHere() {
        assertThat(CallRouting.decide(new CallRouting.Facts(true, "a.example", "bob", true, true, false, "", true)))
                .isEqualTo(new RouteDecision(RouteDecision.Kind.LOCAL, "bob@a.example"));
        assertThat(CallRouting.decide(new CallRouting.Facts(true, "a.example", "bob", false, true, false, "", true))
                .kind()).as("not registered here").isEqualTo(RouteDecision.Kind.UNAVAILABLE);
        assertThat(CallRouting.decide(new CallRouting.Facts(true, "a.example", "nobody", false, false, false, "", true))
                .kind()).isEqualTo(RouteDecision.Kind.NOT_FOUND);
        assertThat(CallRouting.decide(new CallRouting.Facts(true, "a.example", "+4930123", false, false, false, "", true))
                .kind()).as("no trunk for a peer").isEqualTo(RouteDecision.Kind.RELAYING_DENIED);
        assertThat(CallRouting.decide(new CallRouting.Facts(true, null, "carol", false, false, false, "", true))
                .kind()).as("no other domain for a peer").isEqualTo(RouteDecision.Kind.RELAYING_DENIED);
        assertThat(CallRouting.decide(new CallRouting.Facts(true, "a.example", "sales", false, false, true, "", true))
                .kind()).as("rooms are run by the proxy the caller reached").isEqualTo(RouteDecision.Kind.RELAYING_DENIED);
    }
}
