package io.pinhole.proxy.media;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.pinhole.proxy.media.Legs.leg;
import static io.pinhole.proxy.media.Legs.policy;
import static io.pinhole.proxy.media.Legs.relay;
import static org.assertj.core.api.Assertions.assertThat;

class PathPlannerTest {

    /**
     * Seed 004's Table 1: each client can or cannot send and receive UDP, sixteen cases. Both legs
     * sit behind endpoint-independent NATs, so where UDP works both ways (case 16) the pair can be
     * punched. A leg that lacks UDP in either direction is carried over TCP to the relay, which
     * talks UDP to a leg that can (cases 4, 8, 12: one TCP connection, as the seed notes). The
     * seed's starred cases (2, 5, 11) could go client to client over TCP, but phones send RTP over
     * UDP only, so the relay's TCP leg carries them too. Planned is what a relay offering every
     * path would do; today's relay offers UDP only, and the reason says what was given up.
     */
    @ParameterizedTest(name = "case {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # | caller send | caller recv | callee send | callee recv | caller planned | callee planned | caller today | callee today | reason
            1  | Y | N | Y | N | RELAY_TCP | RELAY_TCP | RELAY_UDP | RELAY_UDP | caller cannot receive UDP; callee cannot receive UDP
            2  | Y | N | N | Y | RELAY_TCP | RELAY_TCP | RELAY_UDP | RELAY_UDP | caller cannot receive UDP; callee cannot send UDP
            3  | Y | N | N | N | RELAY_TCP | RELAY_TCP | RELAY_UDP | RELAY_UDP | caller cannot receive UDP; callee cannot send or receive UDP
            4  | Y | N | Y | Y | RELAY_TCP | RELAY_UDP | RELAY_UDP | RELAY_UDP | caller cannot receive UDP
            5  | N | Y | Y | N | RELAY_TCP | RELAY_TCP | RELAY_UDP | RELAY_UDP | caller cannot send UDP; callee cannot receive UDP
            6  | N | Y | N | Y | RELAY_TCP | RELAY_TCP | RELAY_UDP | RELAY_UDP | caller cannot send UDP; callee cannot send UDP
            7  | N | Y | N | N | RELAY_TCP | RELAY_TCP | RELAY_UDP | RELAY_UDP | caller cannot send UDP; callee cannot send or receive UDP
            8  | N | Y | Y | Y | RELAY_TCP | RELAY_UDP | RELAY_UDP | RELAY_UDP | caller cannot send UDP
            9  | N | N | Y | N | RELAY_TCP | RELAY_TCP | RELAY_UDP | RELAY_UDP | caller cannot send or receive UDP; callee cannot receive UDP
            10 | N | N | N | Y | RELAY_TCP | RELAY_TCP | RELAY_UDP | RELAY_UDP | caller cannot send or receive UDP; callee cannot send UDP
            11 | N | N | N | N | RELAY_TCP | RELAY_TCP | RELAY_UDP | RELAY_UDP | caller cannot send or receive UDP; callee cannot send or receive UDP
            12 | N | N | Y | Y | RELAY_TCP | RELAY_UDP | RELAY_UDP | RELAY_UDP | caller cannot send or receive UDP
            13 | Y | Y | Y | N | RELAY_UDP | RELAY_TCP | RELAY_UDP | RELAY_UDP | callee cannot receive UDP
            14 | Y | Y | N | Y | RELAY_UDP | RELAY_TCP | RELAY_UDP | RELAY_UDP | callee cannot send UDP
            15 | Y | Y | N | N | RELAY_UDP | RELAY_TCP | RELAY_UDP | RELAY_UDP | callee cannot send or receive UDP
            16 | Y | Y | Y | Y | PUNCH     | PUNCH     | RELAY_UDP | RELAY_UDP | endpoint-independent mapping on caller and callee, UDP both ways
            """)
    void plansSeedTableOne(int number, String callerSend, String callerReceive, String calleeSend, String calleeReceive,
                           MediaPath callerPlanned, MediaPath calleePlanned, MediaPath callerToday, MediaPath calleeToday,
                           String reason) {
        LegEvidence caller = leg("caller", "nat map=EIM send=" + callerSend + " recv=" + callerReceive);
        LegEvidence callee = leg("callee", "nat map=EIM send=" + calleeSend + " recv=" + calleeReceive);

        PathPlan ideal = PathPlanner.plan(caller, callee, policy("auto"), Legs.EVERYTHING);
        PathPlan today = PathPlanner.plan(caller, callee, policy("auto"), RelayCapabilities.UDP_ONLY);

        assertLeg(ideal.caller(), callerPlanned, callerPlanned, reason);
        assertLeg(ideal.callee(), calleePlanned, calleePlanned, reason);
        assertLeg(today.caller(), callerPlanned, callerToday, fallback(callerPlanned));
        assertLeg(today.callee(), calleePlanned, calleeToday, fallback(calleePlanned));
    }

    /**
     * RFC 4787's behaviours, both legs behind NAT and able to send UDP. The mapping decides
     * whether a hole can be punched; filtering tells only whether a leg that refused our
     * unsolicited packet still takes replies (it does under address-dependent filtering, which
     * is what refuses such packets).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                          | caller                  | callee                   | caller planned | callee planned | reason
            full cone both sides                            | map=EIM filt=EIF recv=Y  | map=EIM filt=EIF recv=Y  | PUNCH     | PUNCH     | endpoint-independent mapping on caller and callee, UDP both ways: PUNCH
            restricted cone both sides refuse unsolicited   | map=EIM filt=ADF recv=N  | map=EIM filt=ADF recv=N  | PUNCH     | PUNCH     | endpoint-independent mapping on caller and callee
            port-restricted cone both sides                 | map=EIM filt=APDF recv=N | map=EIM filt=APDF recv=N | PUNCH     | PUNCH     | endpoint-independent mapping on caller and callee
            port-restricted cone and full cone              | map=EIM filt=APDF recv=N | map=EIM filt=EIF recv=Y  | PUNCH     | PUNCH     | UDP both ways
            unsolicited not probed, filtering known         | map=EIM filt=APDF recv=? | map=EIM filt=ADF recv=?  | PUNCH     | PUNCH     | UDP both ways
            filtering not probed, unsolicited arrives       | map=EIM filt=? recv=Y    | map=EIM filt=? recv=Y    | PUNCH     | PUNCH     | UDP both ways
            filtering not probed, unsolicited refused       | map=EIM filt=? recv=N    | map=EIM filt=EIF recv=Y  | RELAY_TCP | RELAY_UDP | caller cannot receive UDP
            full-cone filtering yet unsolicited refused     | map=EIM filt=EIF recv=N  | map=EIM filt=EIF recv=Y  | RELAY_TCP | RELAY_UDP | caller cannot receive UDP (though its filtering tested endpoint-independent)
            address-dependent mapping on the caller         | map=ADM filt=ADF recv=N  | map=EIM filt=EIF recv=Y  | RELAY_UDP | RELAY_UDP | address-dependent mapping on caller: its NAT picks a new port per peer
            symmetric NAT on the callee                     | map=EIM filt=EIF recv=Y  | map=APDM filt=APDF recv=N| RELAY_UDP | RELAY_UDP | address-and-port-dependent mapping on callee
            symmetric NAT on both sides                     | map=APDM filt=APDF recv=N| map=APDM filt=APDF recv=N| RELAY_UDP | RELAY_UDP | address-and-port-dependent mapping on caller, address-and-port-dependent mapping on callee
            full-cone filtering does not save a dependent mapping | map=ADM filt=EIF recv=Y | map=EIM filt=EIF recv=Y | RELAY_UDP | RELAY_UDP | address-dependent mapping on caller
            mapping not probed                              | map=? filt=EIF recv=Y    | map=EIM filt=EIF recv=Y  | RELAY_UDP | RELAY_UDP | caller behind NAT, its NAT's mapping not known: RELAY_UDP
            nothing probed on either side                   | map=? filt=?             | map=? filt=?             | RELAY_UDP | RELAY_UDP | caller behind NAT, its NAT's mapping not known; callee behind NAT, its NAT's mapping not known: RELAY_UDP
            """)
    void plansByRfc4787Behaviours(String name, String caller, String callee, MediaPath callerPlanned,
                                  MediaPath calleePlanned, String reason) {
        PathPlan plan = PathPlanner.plan(leg("caller", "nat send=Y " + caller), leg("callee", "nat send=Y " + callee),
                policy("auto"), Legs.EVERYTHING);

        assertLeg(plan.caller(), callerPlanned, callerPlanned, reason);
        assertLeg(plan.callee(), calleePlanned, calleePlanned, reason);
    }

    /** The remaining rules, the policy's say, and what today's relay makes of each plan. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                   | policy              | relay   | caller                                | callee                               | caller planned | callee planned | caller actual | callee actual | reason
            both public, nothing probed (as today)   | auto                | udp     | public                                | public                               | DIRECT    | DIRECT    | DIRECT    | DIRECT    | both legs public: DIRECT
            both public, UDP both ways               | auto                | all     | public send=Y recv=Y                  | public send=Y recv=Y                 | DIRECT    | DIRECT    | DIRECT    | DIRECT    | both legs public: DIRECT
            NAT not probed (as today)                | auto                | udp     | nat                                   | public                               | RELAY_UDP | RELAY_UDP | RELAY_UDP | RELAY_UDP | caller behind NAT, not probed: RELAY_UDP
            callee NAT not probed (as today)         | auto                | udp     | public                                | nat                                  | RELAY_UDP | RELAY_UDP | RELAY_UDP | RELAY_UDP | callee behind NAT, not probed: RELAY_UDP
            public leg's UDP not probed              | auto                | all     | public                                | nat map=EIM filt=EIF send=Y recv=Y   | RELAY_UDP | RELAY_UDP | RELAY_UDP | RELAY_UDP | caller's UDP not probed
            public leg and full-cone NAT             | auto                | all     | public send=Y recv=Y                  | nat map=EIM filt=EIF send=Y recv=Y   | PUNCH     | PUNCH     | PUNCH     | PUNCH     | endpoint-independent mapping on callee, caller public, UDP both ways
            punch planned, relayed today             | auto                | udp     | nat map=EIM filt=APDF send=Y recv=N   | nat map=EIM filt=EIF send=Y recv=Y   | PUNCH     | PUNCH     | RELAY_UDP | RELAY_UDP | PUNCH; punch planned, not yet supported: relayed
            mapping probed implies sending           | auto                | all     | nat map=EIM filt=EIF recv=Y           | nat map=EIM filt=EIF recv=Y          | PUNCH     | PUNCH     | PUNCH     | PUNCH     | UDP both ways: PUNCH
            same LAN behind one NAT                  | auto                | udp     | nat site=office                       | nat site=office                      | DIRECT    | DIRECT    | DIRECT    | DIRECT    | same LAN (office): DIRECT
            same LAN even without UDP out            | auto                | all     | nat site=office send=N                | nat site=office                      | DIRECT    | DIRECT    | DIRECT    | DIRECT    | same LAN (office)
            different LANs                           | auto                | udp     | nat site=office                       | nat site=home                        | RELAY_UDP | RELAY_UDP | RELAY_UDP | RELAY_UDP | not probed
            public leg without UDP in                | auto                | all     | public send=Y recv=N                  | public                               | RELAY_TCP | RELAY_UDP | RELAY_TCP | RELAY_UDP | caller cannot receive UDP
            TCP needed, relay offers UDP only        | auto                | udp     | nat send=Y recv=N                     | public                               | RELAY_TCP | RELAY_UDP | RELAY_UDP | RELAY_UDP | caller cannot receive UDP: RELAY_TCP; needs TCP media; relay offers UDP only: RELAY_UDP
            only HTTP gets out                       | auto                | all     | nat http                              | public                               | RELAY_HTTP| RELAY_UDP | RELAY_HTTP| RELAY_UDP | caller gets only HTTP out: RELAY_HTTP
            HTTP needed, relay has TCP               | auto                | udp,tcp | nat http                              | public                               | RELAY_HTTP| RELAY_UDP | RELAY_TCP | RELAY_UDP | needs HTTP media; relay offers UDP, TCP: RELAY_TCP
            HTTP needed, relay offers UDP only       | auto                | udp     | nat http                              | public                               | RELAY_HTTP| RELAY_UDP | RELAY_UDP | RELAY_UDP | needs HTTP media; relay offers UDP only: RELAY_UDP
            TCP needed, relay has HTTP               | auto                | udp,http| public recv=N send=Y                  | public                               | RELAY_TCP | RELAY_UDP | RELAY_HTTP| RELAY_UDP | needs TCP media; relay offers UDP, HTTP: RELAY_HTTP
            SIP over WebSocket only, no UDP          | auto                | all     | nat send=N sip=WSS                    | public                               | RELAY_HTTP| RELAY_UDP | RELAY_HTTP| RELAY_UDP | caller's SIP comes over WebSocket only: RELAY_HTTP
            SIP over WebSocket, UDP fine             | auto                | all     | public send=Y recv=Y sip=WS           | public send=Y recv=Y                 | DIRECT    | DIRECT    | DIRECT    | DIRECT    | both legs public
            policy never                             | never               | udp     | nat send=N recv=N                     | nat                                  | DIRECT    | DIRECT    | DIRECT    | DIRECT    | policy never relays: DIRECT
            policy always, both public               | always              | udp     | public                                | public                               | RELAY_UDP | RELAY_UDP | RELAY_UDP | RELAY_UDP | policy always relays: RELAY_UDP
            policy always, punchable pair            | always              | all     | nat map=EIM filt=EIF send=Y recv=Y    | nat map=EIM filt=EIF send=Y recv=Y   | RELAY_UDP | RELAY_UDP | RELAY_UDP | RELAY_UDP | policy always relays: RELAY_UDP
            policy always, a leg without UDP in      | always              | all     | public send=Y recv=N                  | public                               | RELAY_TCP | RELAY_UDP | RELAY_TCP | RELAY_UDP | policy always relays; caller cannot receive UDP: RELAY_TCP
            policy always, same LAN                  | always              | udp     | nat site=office                       | nat site=office                      | RELAY_UDP | RELAY_UDP | RELAY_UDP | RELAY_UDP | policy always relays
            punching off                             | auto nopunch        | all     | nat map=EIM filt=EIF send=Y recv=Y    | nat map=EIM filt=EIF send=Y recv=Y   | RELAY_UDP | RELAY_UDP | RELAY_UDP | RELAY_UDP | UDP both ways, but punching off: RELAY_UDP
            punching off for the callee's domain     | auto nopunch=B.example | all  | nat map=EIM filt=EIF send=Y recv=Y    | nat map=EIM filt=EIF send=Y recv=Y   | RELAY_UDP | RELAY_UDP | RELAY_UDP | RELAY_UDP | but punching off for b.example
            punching off for the caller's domain     | auto nopunch=a.example | all  | nat map=EIM filt=EIF send=Y recv=Y    | nat map=EIM filt=EIF send=Y recv=Y   | RELAY_UDP | RELAY_UDP | RELAY_UDP | RELAY_UDP | but punching off for a.example
            punching off for another domain          | auto nopunch=c.example | all  | nat map=EIM filt=EIF send=Y recv=Y    | nat map=EIM filt=EIF send=Y recv=Y   | PUNCH     | PUNCH     | PUNCH     | PUNCH     | UDP both ways: PUNCH
            punching off never hides a dependent mapping | auto nopunch    | all     | nat map=APDM filt=APDF send=Y recv=N  | nat map=EIM filt=EIF send=Y recv=Y   | RELAY_UDP | RELAY_UDP | RELAY_UDP | RELAY_UDP | address-and-port-dependent mapping on caller
            """)
    void followsTheRulesAndThePolicy(String name, String policy, String relay, String caller, String callee,
                                     MediaPath callerPlanned, MediaPath calleePlanned, MediaPath callerActual,
                                     MediaPath calleeActual, String reason) {
        PathPlan plan = PathPlanner.plan(leg("caller", caller), leg("callee", callee), policy(policy), relay(relay));

        assertThat(plan.caller().planned()).as("caller planned: " + plan).isEqualTo(callerPlanned);
        assertThat(plan.callee().planned()).as("callee planned: " + plan).isEqualTo(calleePlanned);
        assertThat(plan.caller().actual()).as("caller actual: " + plan).isEqualTo(callerActual);
        assertThat(plan.callee().actual()).as("callee actual: " + plan).isEqualTo(calleeActual);
        assertThat(plan.reason()).contains(reason);
    }

    /**
     * Legs behind an edge agent: its {@code media=} decides, whatever its UDP probe found (it knows its
     * firewall, or its operator forced the transport); {@code media=udp} is an ordinary leg. The
     * transport column is what carries the leg's media to the relay: the ng media-transport and the
     * CDR's *_media_transport.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                   | relay    | caller                         | callee                | caller planned | caller actual | caller transport | callee actual | callee transport | reason
            agent on TLS                             | all      | nat edge=tls send=N recv=N     | public                | RELAY_TCP  | RELAY_TCP  | TLS  | RELAY_UDP | UDP | caller's edge agent carries its media over tls: RELAY_TCP
            agent on plain TCP                       | all      | nat edge=tcp send=N recv=N     | public                | RELAY_TCP  | RELAY_TCP  | TCP  | RELAY_UDP | UDP | caller's edge agent carries its media over tcp
            agent on TLS though UDP passes           | all      | public edge=tls send=Y recv=Y  | public send=Y recv=Y  | RELAY_TCP  | RELAY_TCP  | TLS  | RELAY_UDP | UDP | edge agent carries its media over tls
            agent with UDP out, not in               | all      | nat edge=tls send=Y recv=N     | public                | RELAY_TCP  | RELAY_TCP  | TLS  | RELAY_UDP | UDP | edge agent carries its media over tls
            agent on HTTP                            | all      | nat edge=http send=N recv=N    | public                | RELAY_HTTP | RELAY_HTTP | HTTP | RELAY_UDP | UDP | caller's edge agent carries its media over http: RELAY_HTTP
            agent on TLS, relay has HTTP only        | udp,http | nat edge=tls send=N recv=N     | public                | RELAY_TCP  | RELAY_HTTP | HTTP | RELAY_UDP | UDP | needs TCP media; relay offers UDP, HTTP: RELAY_HTTP
            agent on TLS, relay offers UDP only      | udp      | nat edge=tls send=N recv=N     | public                | RELAY_TCP  | RELAY_UDP  | UDP  | RELAY_UDP | UDP | needs TCP media; relay offers UDP only: RELAY_UDP
            agent on HTTP, relay has TCP             | udp,tcp  | nat edge=http send=N recv=N    | public                | RELAY_HTTP | RELAY_TCP  | TCP  | RELAY_UDP | UDP | needs HTTP media; relay offers UDP, TCP: RELAY_TCP
            agent on UDP, an ordinary leg            | all      | nat edge=udp send=Y recv=Y     | public                | RELAY_UDP  | RELAY_UDP  | UDP  | RELAY_UDP | UDP | caller behind NAT, its NAT's mapping not known: RELAY_UDP
            agent on UDP that cannot receive         | all      | nat edge=udp send=Y recv=N     | public                | RELAY_TCP  | RELAY_TCP  | TCP  | RELAY_UDP | UDP | caller cannot receive UDP
            both legs behind agents                  | all      | nat edge=tls send=N recv=N     | nat edge=http send=N  | RELAY_TCP  | RELAY_TCP  | TLS  | RELAY_HTTP | HTTP | callee's edge agent carries its media over http
            """)
    void plansLegsBehindEdgeAgents(String name, String relay, String caller, String callee, MediaPath callerPlanned,
                                   MediaPath callerActual, MediaTransport callerTransport, MediaPath calleeActual,
                                   MediaTransport calleeTransport, String reason) {
        PathPlan plan = PathPlanner.plan(leg("caller", caller), leg("callee", callee), policy("auto"), relay(relay));

        assertThat(plan.caller().planned()).as("caller planned: " + plan).isEqualTo(callerPlanned);
        assertThat(plan.caller().actual()).as("caller actual: " + plan).isEqualTo(callerActual);
        assertThat(plan.caller().transport()).as("caller transport: " + plan).isEqualTo(callerTransport);
        assertThat(plan.callee().actual()).as("callee actual: " + plan).isEqualTo(calleeActual);
        assertThat(plan.callee().transport()).as("callee transport: " + plan).isEqualTo(calleeTransport);
        assertThat(plan.reason()).contains(reason);
    }

    /**
     * An agent whose UDP gets out but not in sends its media up over UDP and has it brought down over
     * its stream: the leg says so (the CDR's udp-up/tls-down); a fallback keeps the UDP up, and a
     * relay with neither stream makes it UDP both ways.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                 | relay    | caller                                | path       | up   | down | words
            UDP up, TLS down                       | all      | nat edge=tls up=udp send=Y recv=N     | RELAY_TCP  | UDP  | TLS  | udp-up/tls-down
            UDP up, HTTP down                      | all      | nat edge=http up=udp send=Y recv=N    | RELAY_HTTP | UDP  | HTTP | udp-up/http-down
            relay without TCP: HTTP down           | udp,http | nat edge=tls up=udp send=Y recv=N     | RELAY_HTTP | UDP  | HTTP | udp-up/http-down
            relay with UDP only: UDP both ways     | udp      | nat edge=tls up=udp send=Y recv=N     | RELAY_UDP  | UDP  | UDP  | udp
            --transport tls: TLS both ways         | all      | nat edge=tls send=Y recv=N            | RELAY_TCP  | TLS  | TLS  | tls
            """)
    void plansEdgeLegsWhoseMediaGoesUpOverUdp(String name, String relay, String caller, MediaPath path,
                                             MediaTransport up, MediaTransport down, String words) {
        LegPlan leg = PathPlanner.plan(leg("caller", caller), leg("callee", "public"), policy("auto"), relay(relay))
                .caller();

        assertThat(leg.actual()).as(leg.reason()).isEqualTo(path);
        assertThat(leg.up()).isEqualTo(up);
        assertThat(leg.transport()).isEqualTo(down);
        assertThat(leg.transportWords()).isEqualTo(words);
    }

    private static void assertLeg(LegPlan leg, MediaPath planned, MediaPath actual, String reason) {
        assertThat(leg.planned()).as(leg.leg() + " planned: " + leg.reason()).isEqualTo(planned);
        assertThat(leg.actual()).as(leg.leg() + " actual: " + leg.reason()).isEqualTo(actual);
        assertThat(leg.reason()).contains(reason);
    }

    /** What today's relay (UDP only) says it gave up, for a planned path. */
    private static String fallback(MediaPath planned) {
        return switch (planned) {
            case RELAY_TCP -> "needs TCP media; relay offers UDP only: RELAY_UDP";
            case PUNCH -> "punch planned, not yet supported: relayed";
            default -> ": " + planned;
        };
    }
}
