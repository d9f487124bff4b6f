package io.pinhole.proxy.admin;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** The route checks mirror the table's constraints (V1, V2) and the redirect server's target parser. */
class RouteRequestTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();
    private static final RouteRequest PREFIX = new RouteRequest(null, null, "+49", "sip:203.0.113.5:5060", "trunk",
            null, null, null, null, null, "00", null, null, null, "e164", null,
            new RouteRequest.TrunkAuth("pinhole", "trunk-secret", "carrier.example"));

    @Test
    void acceptsTheRoutesTheReadmeShows() {
        RouteRequest domain = new RouteRequest(null, "b.example", null, "sip:192.0.2.20:5060", null, null, null, null,
                300, null, null, null, null, null, null, null, null);
        RouteRequest user = new RouteRequest("alice", "B.Example", null, "sips:alice@[2001:db8::1]:5061;transport=tls",
                "proxy", 0.5f, 2, true, 0, false, null, null, null, null, null, "tls", null);
        for (RouteRequest r : List.of(PREFIX, domain, user)) {
            assertThat(problems(r)).as("%s", r).isEmpty();
        }
    }

    @Test
    void refusesWhatTheTableOrTheRedirectServerWould() {
        Object[][] table = {
                {with(r -> copy(r, "user", "bob")), "matchPrefix: a route matches a user or a number prefix, not both"},
                {with(r -> copy(r, "user", "bob")), "matchUser: needs matchDomain"},
                {with(r -> copy(r, "prefix", null)), "matchDomain: a route matches a domain"},
                {with(r -> copy(r, "prefix", "49x")), "matchPrefix: must be '+'? and 1 to 32 digits"},
                {with(r -> copy(r, "target", "tel:+4930")), "targetUri: must be a sip: or sips: URI"},
                {with(r -> copy(r, "target", "sip:a b@host")), "targetUri: must be a sip: or sips: URI"},
                {with(r -> copy(r, "target", "sip:")), "targetUri: must be a sip: or sips: URI"},
                {with(r -> copy(r, "kind", "gateway")), "kind: must be proxy or trunk"},
                {with(r -> copy(r, "kind", "proxy")), "auth: only trunk routes carry credentials"},
                {with(r -> copy(r, "national", "0")), "nationalPrefix: needs countryCode"},
                {with(r -> copy(r, "format", "national")), "numberFormat: national needs countryCode"},
                {with(r -> copy(r, "format", "E164")), "numberFormat: must be as-received, e164"},
                {with(r -> copy(r, "transport", "sctp")), "transport: must be udp, tcp or tls"},
                {with(r -> copy(r, "auth", new RouteRequest.TrunkAuth("pinhole", "secret", " "))), "auth.realm: must not be blank"},
                {with(r -> copy(r, "auth", new RouteRequest.TrunkAuth("pinhole", null, "carrier.example"))), "auth.password: must not be null"},
        };
        for (Object[] row : table) {
            RouteRequest request = (RouteRequest) row[0];
            assertThat(problems(request)).as("%s", request).anyMatch(p -> p.startsWith((String) row[1]));
        }
    }

    private static List<String> problems(RouteRequest r) {
        List<String> problems = new ArrayList<>(r.crossFieldProblems());
        VALIDATOR.validate(r).forEach(v -> problems.add(v.getPropertyPath() + ": " + v.getMessage()));
        return problems;
    }

    private static RouteRequest with(UnaryOperator<RouteRequest> change) {
        return change.apply(PREFIX);
    }

    private static RouteRequest copy(RouteRequest r, String field, Object value) {
        return new RouteRequest(
                field.equals("user") ? (String) value : r.matchUser(), r.matchDomain(),
                field.equals("prefix") ? (String) value : r.matchPrefix(),
                field.equals("target") ? (String) value : r.targetUri(),
                field.equals("kind") ? (String) value : r.kind(), r.priority(), r.weight(), r.permanent(),
                r.expiresSeconds(), r.enabled(), r.intlPrefix(),
                field.equals("national") ? (String) value : r.nationalPrefix(), r.countryCode(), r.plusOptional(),
                field.equals("format") ? (String) value : r.numberFormat(),
                field.equals("transport") ? (String) value : r.transport(),
                field.equals("auth") ? (RouteRequest.TrunkAuth) value : r.auth());
    }
}
