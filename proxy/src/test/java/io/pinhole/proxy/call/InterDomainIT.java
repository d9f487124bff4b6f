package io.pinhole.proxy.call;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RedirectProcess;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.proxy.support.TestDatabase;
import io.pinhole.proxy.support.Tshark;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 001 end to end: alice@a.example (behind NAT, by her SDP) calls bob@b.example. Proxy A
 * relays, asks the redirect server where b.example is served, and forwards the call to proxy
 * B, which sees the offer already on a trusted relay and adds none. Both proxies share one
 * PostgreSQL, each serving its own domain.
 */
class InterDomainIT {

    private static final String PASSWORD = "correct-horse";

    @Test
    void callBetweenDomainsFollowsTheClaimedSequence() {
        String database = TestDatabase.freshDatabaseUrl();
        try (RelayProcess relay = RelayProcess.start(43000, 43999);
             ProxyInstance proxyB = ProxyInstance.start(Map.of("spring.datasource.url", database,
                     "pinhole.directory.domains", "b.example",
                     "pinhole.media.default-relay", relay.control(),
                     "pinhole.media.trusted-relays", "127.0.0.1"));
             RedirectProcess redirect = RedirectProcess.start(database);
             ProxyInstance proxyA = ProxyInstance.start(Map.of("spring.datasource.url", database,
                     "pinhole.directory.domains", "a.example",
                     "pinhole.media.default-relay", relay.control(),
                     // a silent server first: the call must fail over to the live one
                     "pinhole.routing.redirect-servers", "127.0.0.1:" + FreePorts.udpAndTcp() + "," + redirect.address(),
                     "pinhole.routing.redirect-timeout", "500ms"))) {
            proxyA.addUser("a.example", "alice", PASSWORD);
            proxyA.addUser("b.example", "bob", PASSWORD);
            JdbcTemplate jdbc = proxyA.bean(JdbcTemplate.class);
            jdbc.update("INSERT INTO routes (match_domain, target_uri) VALUES ('b.example', ?)",
                    "sip:127.0.0.1:" + proxyB.sipPort());
            proxyB.bean(io.pinhole.proxy.directory.UserDirectory.class).reload();
            int bobPort = FreePorts.udpAndTcp();
            assertThat(Sipp.scenario("register.xml", proxyB.sipTarget()).localPort(bobPort).service("bob")
                    .credentials("bob", PASSWORD).key("domain", "b.example").key("expires", 600).run().passed()).isTrue();
            int alicePort = FreePorts.udpAndTcp();
            int relayControl = Integer.parseInt(relay.control().split(":")[1]);
            List<Integer> sipPorts = List.of(alicePort, proxyA.sipPort(), redirect.port(), proxyB.sipPort(), bobPort);
            Sipp.Running bob = Sipp.scenario("call-uas.xml", proxyB.sipTarget()).localPort(bobPort).start();

            List<Tshark.Packet> packets;
            Sipp.Result alice;
            try (Tshark capture = Tshark.capture(List.of(alicePort, proxyA.sipPort(), redirect.port(),
                    proxyB.sipPort(), bobPort, relayControl))) {
                alice = Sipp.scenario("call-uac-interdomain.xml", proxyA.sipTarget()).localPort(alicePort).service("alice")
                        .credentials("alice", PASSWORD).key("domain", "a.example").key("callee", "bob")
                        .key("callee_domain", "b.example").key("sdp_ip", "10.77.0.2").run();
                packets = capture.packets(sipPorts);
            }
            Sipp.Result bobResult = bob.await();

            assertThat(alice.passed()).as(alice.describe()).isTrue();
            assertThat(bobResult.passed()).as(bobResult.describe()).isTrue();
            String offerAtBob = CallSippIT.body(bobResult.messages(), "INVITE sip:");
            assertThat(offerAtBob).doesNotContain("10.77.0.2");
            assertThat(CallSippIT.mediaPort(offerAtBob)).isBetween(43000, 43999);

            // The claim's order, as seen on the wire from proxy A: its SIP port, and its ng commands
            // (sent from its own ng socket; proxy B, relaying nothing, only pings the relay).
            int a = proxyA.sipPort();
            List<String> sequence = packets.stream()
                    .filter(p -> p.sourcePort() == a || p.destinationPort() == a
                            || p.destinationPort() == relayControl && p.summary().startsWith("ng ")
                            && !p.summary().equals("ng ping"))
                    .map(p -> describe(p, Map.of(alicePort, "alice", a, "A", redirect.port(), "redirect",
                            proxyB.sipPort(), "B", relayControl, "relay")))
                    .filter(s -> !s.isEmpty())
                    .toList();
            assertThat(sequence).as(String.join("\n", sequence)).containsSubsequence(
                    "alice->A INVITE",
                    "A->relay ng offer",
                    "A->redirect INVITE",
                    "redirect->A 302",
                    "A->B INVITE",
                    "B->A 200",
                    "A->relay ng answer",
                    "A->alice 200");

            eventually(Duration.ofSeconds(5), () -> jdbc.queryForObject("SELECT count(*) FROM calls", Integer.class) == 2,
                    "a CDR from each proxy");
            assertThat(jdbc.queryForList("SELECT media_path FROM calls ORDER BY media_path", String.class))
                    .as("proxy A relays, proxy B trusts that relay and adds none").containsExactly("DIRECT", "RELAY_UDP");
            // proxy A planned one callee leg for whichever redirect target answered; proxy B saw two public legs
            assertThat(jdbc.queryForList("SELECT caller_path || ' ' || callee_path || ' ' || path_reason FROM calls"
                    + " ORDER BY media_path", String.class)).containsExactly(
                    "DIRECT DIRECT both legs public: DIRECT",
                    "RELAY_UDP RELAY_UDP caller behind NAT, not probed: RELAY_UDP");
            eventually(Duration.ofSeconds(5), () -> {
                Object calls = relay.command(Map.of("command", "list")).get("calls");
                return calls instanceof List<?> list && list.isEmpty();
            }, "relay freed after BYE");
        }
    }

    private static String describe(Tshark.Packet p, Map<Integer, String> names) {
        // ng commands leave from proxy A's own ng socket (an ephemeral port): they are A's.
        String from = p.summary().startsWith("ng ") ? "A" : names.getOrDefault(p.sourcePort(), String.valueOf(p.sourcePort()));
        String to = names.getOrDefault(p.destinationPort(), String.valueOf(p.destinationPort()));
        return p.summary().isEmpty() ? "" : from + "->" + to + " " + p.summary();
    }
}
