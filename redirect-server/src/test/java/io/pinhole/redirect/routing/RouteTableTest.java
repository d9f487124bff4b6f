package io.pinhole.redirect.routing;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTableTest {

    private static final NumberPlan GERMANY = new NumberPlan("00", "0", "49", false);
    private static final NumberPlan NANP = new NumberPlan("011", "1", "1", false);
    private static final NumberPlan CARRIER = new NumberPlan(null, null, null, true);

    private static final RouteTable TABLE = RouteTable.of(List.of(
            route(1, "bob", "b.example", null, "sip:bob@10.0.0.9:5080", 1f, 1, false, NumberPlan.PLUS_ONLY, NumberFormat.AS_RECEIVED),
            route(2, null, "b.example", null, "sip:proxy-b.example:5060", 1f, 1, false, NumberPlan.PLUS_ONLY, NumberFormat.AS_RECEIVED),
            route(3, null, "B.Example", null, "sip:proxy-b2.example", 0.5f, 1, false, NumberPlan.PLUS_ONLY, NumberFormat.AS_RECEIVED),
            route(4, null, "c.example", null, "sips:proxy-c.example", 1f, 1, true, NumberPlan.PLUS_ONLY, NumberFormat.AS_RECEIVED),
            route(5, null, "d.example", null, "sip:proxy-d1.example", 0.9f, 1, true, NumberPlan.PLUS_ONLY, NumberFormat.AS_RECEIVED),
            route(6, null, "d.example", null, "sip:proxy-d2.example", 0.1f, 1, false, NumberPlan.PLUS_ONLY, NumberFormat.AS_RECEIVED),
            route(7, null, null, "+4930", "sip:gw-berlin.example;transport=tcp", 1f, 1, false, GERMANY, NumberFormat.NATIONAL),
            route(8, null, null, "+49", "sip:gw-de.example", 1f, 1, false, GERMANY, NumberFormat.E164_DIGITS),
            route(9, null, null, "+1", "sip:gw-us.example", 0.333f, 1, false, NANP, NumberFormat.E164),
            route(10, null, null, "112", "sip:emergency.example", 1f, 1, false, NumberPlan.PLUS_ONLY, NumberFormat.AS_RECEIVED),
            route(11, null, "pstn.a.example", "+4930", "sip:gw-a.example", 1f, 1, false, GERMANY, NumberFormat.E164),
            route(12, null, null, "+33", "sip:carrier.example", 1f, 1, false, CARRIER, NumberFormat.E164_DIGITS),
            route(13, null, null, "+33", "sip:carrier-backup.example", 1f, 1, false, GERMANY, NumberFormat.E164),
            route(14, null, "loop.example", null, "sip:loop.example", 1f, 1, false, NumberPlan.PLUS_ONLY, NumberFormat.AS_RECEIVED),
            route(15, null, "half-loop.example", null, "sip:half-loop.example;transport=tcp", 1f, 1, false, NumberPlan.PLUS_ONLY, NumberFormat.AS_RECEIVED),
            route(16, null, "half-loop.example", null, "sip:elsewhere.example", 0.5f, 1, false, NumberPlan.PLUS_ONLY, NumberFormat.AS_RECEIVED)),
            3600);

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # request URI                          | status | rule   | contacts (q), best first
            sip:bob@b.example                      | 302    | USER   | sip:bob@10.0.0.9:5080 (1)
            sips:bob@b.example                     | 302    | USER   | sip:bob@10.0.0.9:5080 (1)
            sip:alice@b.example                    | 302    | DOMAIN | sip:alice@proxy-b.example:5060 (1), sip:alice@proxy-b2.example (0.5)
            sip:Bob@B.EXAMPLE                      | 302    | DOMAIN | sip:Bob@proxy-b.example:5060 (1), sip:Bob@proxy-b2.example (0.5)
            sip:b.example                          | 302    | DOMAIN | sip:proxy-b.example:5060 (1), sip:proxy-b2.example (0.5)
            sip:carol@c.example                    | 301    | DOMAIN | sips:carol@proxy-c.example (1)
            sip:dave@d.example                     | 302    | DOMAIN | sip:dave@proxy-d1.example (0.9), sip:dave@proxy-d2.example (0.1)
            sip:+493012345@x.example               | 302    | PREFIX | sip:03012345@gw-berlin.example;transport=tcp (1)
            sip:00493012345@x.example              | 302    | PREFIX | sip:03012345@gw-berlin.example;transport=tcp (1)
            sip:03012345@x.example                 | 302    | PREFIX | sip:03012345@gw-berlin.example;transport=tcp (1)
            sip:+49-30-12345@x.example;user=phone  | 302    | PREFIX | sip:03012345@gw-berlin.example;transport=tcp (1)
            sip:+4940123@x.example                 | 302    | PREFIX | sip:4940123@gw-de.example (1)
            tel:+4940123                           | 302    | PREFIX | sip:4940123@gw-de.example (1)
            tel:040123;phone-context=x.example     | 302    | PREFIX | sip:4940123@gw-de.example (1)
            sip:12125551234@x.example              | 302    | PREFIX | sip:+12125551234@gw-us.example (0.333)
            sip:+12125551234@x.example             | 302    | PREFIX | sip:+12125551234@gw-us.example (0.333)
            sip:112@a.example                      | 302    | PREFIX | sip:112@emergency.example (1)
            sip:+4930999@pstn.a.example            | 302    | PREFIX | sip:+4930999@gw-a.example (1)
            sip:+4940999@pstn.a.example            | 302    | PREFIX | sip:4940999@gw-de.example (1)
            sip:33123456@x.example                 | 302    | PREFIX | sip:33123456@carrier.example (1)
            sip:+33123456@x.example                | 302    | PREFIX | sip:33123456@carrier.example (1), sip:+33123456@carrier-backup.example (1)
            sip:0033123456@x.example               | 302    | PREFIX | sip:+33123456@carrier-backup.example (1)
            sip:+4412345@x.example                 | 404    | NONE   |
            sip:alice@unknown.example              | 404    | NONE   |
            sip:99@x.example                       | 404    | NONE   |
            mailto:bob@b.example                   | 416    | NONE   |
            sip:eve@loop.example                   | 482    | DOMAIN |
            sip:eve@half-loop.example;user=phone   | 302    | DOMAIN | sip:eve@elsewhere.example (0.5)
            """)
    void routesByUserThenDomainThenLongestPrefix(String uri, int status, RouteDecision.MatchedBy rule, String contacts)
            throws Exception {
        RouteDecision decision = TABLE.lookup(new AddressFactoryImpl().createURI(uri));

        assertThat(decision.statusCode()).isEqualTo(status);
        assertThat(decision.matchedBy()).isEqualTo(rule);
        assertThat(describe(decision.redirects())).isEqualTo(contacts == null ? "" : contacts);
    }

    @Test
    void writesContactWithQAndExpires() throws Exception {
        RouteTable table = RouteTable.of(List.of(
                route(1, null, "b.example", null, "sip:proxy-b.example", 0.25f, 1, false, NumberPlan.PLUS_ONLY,
                        NumberFormat.AS_RECEIVED),
                new Route(2, null, "b.example", null, TargetUri.parse("sip:proxy-c.example").orElseThrow(),
                        RouteKind.PROXY, 1f, 1, false, 60, NumberPlan.PLUS_ONLY, NumberFormat.AS_RECEIVED)), 300);

        RouteDecision decision = table.lookup(new AddressFactoryImpl().createURI("sip:bob@b.example"));

        assertThat(decision.redirects()).extracting(Redirect::contactValue).containsExactly(
                "<sip:bob@proxy-c.example>;q=1;expires=60",
                "<sip:bob@proxy-b.example>;q=0.25;expires=300");
    }

    @Test
    void emptyTableFindsNothing() throws Exception {
        assertThat(RouteTable.empty().lookup(new AddressFactoryImpl().createURI("sip:+4930@b.example")).statusCode())
                .isEqualTo(404);
    }

    @ParameterizedTest
    @CsvSource({"1.0, 1", "0.5, 0.5", "0.1, 0.1", "0.125, 0.125", "0.3333, 0.333", "0, 0"})
    void writesQAsRfc3261QValue(float q, String text) {
        assertThat(RouteTable.qText(q)).isEqualTo(text);
    }

    private static String describe(List<Redirect> redirects) {
        return redirects.stream().map(r -> r.uri() + " (" + r.q() + ")").collect(Collectors.joining(", "));
    }

    static Route route(long id, String user, String domain, String prefix, String target, float q, int weight,
                       boolean permanent, NumberPlan plan, NumberFormat format) {
        return new Route(id, user, domain, prefix, TargetUri.parse(target).orElseThrow(), RouteKind.PROXY, q, weight,
                permanent, null, plan, format);
    }
}
