package io.pinhole.proxy.edge;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.Scratch;
import io.pinhole.testsupport.Sipp;
import io.pinhole.proxy.support.netns.Baresip;
import io.pinhole.proxy.support.netns.NatTopology;
import io.pinhole.proxy.support.netns.NsSipp;
import io.pinhole.proxy.support.netns.RtpProbe;
import io.pinhole.proxy.support.netns.Shell;
import io.pinhole.proxy.support.netns.StrictFirewall;
import io.pinhole.proxy.support.netns.StrictFirewall.Policy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.pinhole.proxy.support.netns.NatTopology.ALICE_ADDRESS;
import static io.pinhole.proxy.support.netns.NatTopology.BOB_ADDRESS;
import static io.pinhole.proxy.support.netns.NatTopology.PUBLIC_ADDRESS;
import static io.pinhole.proxy.support.netns.StrictFirewall.RELAY_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Issue 17 end to end: alice sits behind a strict firewall (nat1 drops all UDP and all TCP but to
 * ports 80 and 443), bob behind an ordinary NAT. The proxy serves SIP over TLS on
 * 203.0.113.1:443, the relay media over TLS on 203.0.113.2:443 and HTTP on :80. The edge agent
 * runs from its jar inside alice's LAN; alice (SIPp) registers and calls through it, bob calls her,
 * and RTP probes count the audio at both phones: over TLS, over HTTP when the relay's 443 is
 * blocked too, and through tinyproxy on the firewall (SIP in a CONNECT tunnel, media as HTTP
 * requests) when nothing else gets out; carol, a real softphone (baresip) behind the agent, is
 * called by bob and calls him on each of these three paths. The agent also logs in with a token from the admin API,
 * until it is revoked. Without
 * the agent alice gets nowhere (the firewall's counters show her packets dropped). Behind a firewall
 * that lets UDP out but nothing UDP back in, her media goes up over UDP and comes down over TLS. A
 * proxy restart keeps her reachable through the agent; a frozen agent makes her unreachable (480).
 * She also calls without {@code ;rport} in her Via; when the firewall closes the relay's 443 after the
 * agent chose TLS, the agent probes again and moves to HTTP; when it silently forgets the agent's TLS
 * link mid-call, the agent finds the link dead and opens it again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(NatTopology.LOCK)
class EdgeStrictFirewallIT {

    private static final String DOMAIN = "edge.example";
    private static final String PASSWORD = "correct-horse";
    private static final int AGENT_SIP = 5070;
    private static final int ALICE_SIP = 5080;
    private static final int BOB_SIP = 5060;
    private static final int ALICE_RTP = 40000;
    private static final int BOB_RTP = 40002;
    private static final double MEDIA_SECONDS = 3.0;
    private static final int PACKETS = (int) (MEDIA_SECONDS * 50);
    private static final Duration SIPP_LIMIT = Duration.ofSeconds(40);
    private static final int HEARTBEAT_MILLIS = 1000;

    private NatTopology net;
    private StrictFirewall firewall;
    private RelayProcess relay;
    private ProxyInstance proxy;
    private Path dir;
    private Path certificate;
    private Process agent;
    private Path agentLog;
    private int cdrsBefore;
    private boolean baresipCounting;
    /** alice as many deployed phones: no ;rport in the Via of her REGISTERs and INVITEs */
    private boolean aliceWithoutRport;

    @BeforeAll
    void start() throws Exception {
        String missing = NatTopology.missingPrerequisite();
        for (String tool : List.of("tinyproxy", "openssl")) {
            if (missing == null && Shell.missing(tool)) {
                missing = tool + " is not installed";
            }
        }
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("the strict firewall test cannot run in CI: " + missing);
            }
            org.junit.jupiter.api.Assumptions.abort("strict firewall test skipped: " + missing);
        }
        dir = Scratch.directory("edge-strict");
        certificate = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path keystore = dir.resolve("proxy.p12");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", certificate.toString(), "-days", "2", "-subj", "/CN=pinhole-test",
                "-addext", "subjectAltName=IP:" + PUBLIC_ADDRESS + ",IP:" + RELAY_ADDRESS);
        run("openssl", "pkcs12", "-export", "-in", certificate.toString(), "-inkey", key.toString(), "-out",
                keystore.toString(), "-passout", "pass:edge-pass", "-name", "proxy");

        net = NatTopology.create();
        firewall = new StrictFirewall(net);
        relay = RelayProcess.start(45600, 45699, RELAY_ADDRESS, Map.of("pinhole.relay.tls-port", 443,
                "pinhole.relay.http-media-port", 80, "pinhole.relay.tls-certificate", certificate,
                "pinhole.relay.tls-private-key", key, "pinhole.relay.stun-port", 3478,
                "pinhole.relay.stun-alternate-port", 0));
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("pinhole.sip.bind-address", PUBLIC_ADDRESS,
                "pinhole.sip.advertised-address", PUBLIC_ADDRESS, "pinhole.sip.tls-port", 443,
                "pinhole.sip.tls-keystore", keystore, "pinhole.sip.tls-keystore-password", "edge-pass",
                "pinhole.media.default-relay", relay.control(),
                "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false));
        // an agent that stops answering is found dead within seconds, not the default minute
        settings.put("pinhole.edge.heartbeat-interval", HEARTBEAT_MILLIS + "ms");
        settings.put("pinhole.edge.misses", 2);
        // every test starts an agent, and each start registers user edge with a new Contact (its new
        // connection); a stopped agent unregisters it, but the frozen one and the logins after the
        // proxy's restart leave theirs for 600 s: keep clear of the default limit of 10
        settings.put("pinhole.registrar.max-contacts", 50);
        proxy = ProxyInstance.start(settings);
        proxy.addUser(DOMAIN, "edge", PASSWORD);
        proxy.addUser(DOMAIN, "alice", PASSWORD);
        proxy.addUser(DOMAIN, "bob", PASSWORD);
        proxy.addUser(DOMAIN, "carol", PASSWORD);
    }

    @AfterEach
    void stopAgent() throws InterruptedException {
        aliceWithoutRport = false;
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
            agent = null;
        }
        if (firewall != null) {
            firewall.stopTinyproxy();
        }
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (proxy != null) {
                proxy.close();
            }
            if (relay != null) {
                relay.close();
            }
            if (firewall != null) {
                firewall.close();
            }
        } finally {
            if (net != null) {
                net.close();
            }
        }
    }

    @Test
    void withoutTheAgentTheStrictPhoneCannotRegisterNorCall() {
        firewall.apply(Policy.WEB_ONLY, PUBLIC_ADDRESS);
        Sipp.Result registered = NsSipp.scenario("/sipp/register.xml", PUBLIC_ADDRESS + ":" + proxy.sipPort())
                .in(net.alice(), ALICE_ADDRESS).localPort(ALICE_SIP).service("alice").credentials("alice", PASSWORD)
                .key("domain", DOMAIN).key("expires", 600).arg("-timeout", "3s").run(Duration.ofSeconds(20));
        Sipp.Result called = NsSipp.scenario("/nat/call-uac-media.xml", PUBLIC_ADDRESS + ":" + proxy.sipPort())
                .in(net.alice(), ALICE_ADDRESS).localPort(ALICE_SIP).service("alice").credentials("alice", PASSWORD)
                .key("domain", DOMAIN).key("callee", "bob").key("callee_domain", DOMAIN).key("rtp_port", ALICE_RTP)
                .fill("HOLD_MS", 1000).arg("-timeout", "3s").run(Duration.ofSeconds(20));

        assertThat(registered.passed()).as("alice registers straight to the proxy over UDP\n" + registered.describe())
                .isFalse();
        assertThat(called.passed()).as("alice calls straight through the proxy\n" + called.describe()).isFalse();
        assertThat(firewall.dropped("udp")).as("the firewall dropped her SIP\n" + firewall.describe()).isPositive();
    }

    @Test
    void strictPhoneCallsNatPhoneAndIsCalledByItOverTls() throws Exception {
        firewall.apply(Policy.WEB_ONLY, PUBLIC_ADDRESS);
        startAgent(List.of());
        assertThat(Files.readString(agentLog)).contains("UDP is blocked both ways",
                "media over TLS to relay " + RELAY_ADDRESS + ":443");

        Media out = aliceCallsBob();
        out.assertTwoWay();
        assertThat(lastCdr("bob")).containsEntry("caller_path", "RELAY_TCP").containsEntry("caller_media_transport", "tls")
                .containsEntry("callee_media_transport", "udp");

        Media in = bobCallsAlice();
        in.assertTwoWay();
        assertThat(lastCdr("alice")).containsEntry("callee_path", "RELAY_TCP").containsEntry("callee_media_transport", "tls");
        assertThat(firewall.dropped("udp")).as("nothing got out over UDP, and the firewall saw the probe try\n"
                + firewall.describe()).isPositive();
    }

    /**
     * Many deployed phones send no {@code ;rport} in their Via (RFC 3581 is optional): alice
     * registers and calls without it, is called by bob, and the audio flows both ways through the
     * agent over TLS all the same (the agent answers her at her Via's sent-by).
     */
    @Test
    void phoneWithoutRportRegistersCallsAndIsCalledThroughTheAgent() throws Exception {
        firewall.apply(Policy.WEB_ONLY, PUBLIC_ADDRESS);
        aliceWithoutRport = true;
        startAgent(List.of());

        Media out = aliceCallsBob();
        out.assertTwoWay();
        List<String> vias = out.aliceSipp().messages().lines().filter(l -> l.regionMatches(true, 0, "Via:", 0, 4)).toList();
        assertThat(vias).as("alice's Via, in what she sent and the answers to it").isNotEmpty()
                .noneMatch(v -> v.toLowerCase(java.util.Locale.ROOT).contains("rport"));
        assertThat(lastCdr("bob")).containsEntry("caller_media_transport", "tls");

        Media in = bobCallsAlice();
        in.assertTwoWay();
        assertThat(lastCdr("alice")).containsEntry("callee_media_transport", "tls");
    }

    /**
     * The path breaks after the agent chose it: the firewall starts dropping TCP to the relay's 443
     * while the agent carries media over TLS. The next call's TLS link to the relay cannot connect,
     * so the agent probes again (issue 17: "re-probed when a path breaks"), finds HTTP, says so in
     * words, and logs in again with {@code media=http}; the call after that carries audio both ways
     * over HTTP without the agent being restarted.
     */
    @Test
    void agentProbesAgainWhenItsPathBreaksAndMovesToHttp() throws Exception {
        firewall.apply(Policy.WEB_ONLY, PUBLIC_ADDRESS);
        startAgent(List.of());
        assertThat(Files.readString(agentLog)).contains("media over TLS to relay " + RELAY_ADDRESS + ":443");

        firewall.apply(Policy.NO_RELAY_TLS, PUBLIC_ADDRESS);
        aliceCallsBob(); // its TLS link cannot connect: no audio from alice, but the break is noticed
        String relogin = "Pinhole-Edge: media=http";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(agentLog).contains(relogin)) {
            if (!agent.isAlive() || System.nanoTime() > deadline) {
                fail("the agent did not probe again and log in with media=http:\n" + Files.readString(agentLog));
            }
            Thread.sleep(100);
        }
        assertThat(Files.readString(agentLog)).contains("Media path broke (", "probing again",
                "TLS to " + RELAY_ADDRESS + ":443 is blocked too", "media over HTTP to relay " + RELAY_ADDRESS + ":80");

        aliceCallsBob().assertTwoWay();
        assertThat(lastCdr("bob")).containsEntry("caller_path", "RELAY_HTTP").containsEntry("caller_media_transport", "http");
    }

    /**
     * Mid-call the firewall forgets the agent's TLS connection to the relay and drops its packets
     * silently, both ways (no reset: what a stateful firewall or NAT whose entry timed out does);
     * TCP alone would retransmit into it for many minutes. The relay answers each of the agent's
     * heartbeats (every 10 s), so the agent finds the link dead after 30 s of silence, opens a new
     * connection with the call's token, and the call has audio both ways again.
     */
    @Test
    void aTlsLinkThatDiesSilentlyMidCallIsFoundDeadAndOpenedAgain() throws Exception {
        firewall.apply(Policy.WEB_ONLY, PUBLIC_ADDRESS);
        startAgent(List.of());
        registerBob();
        NsSipp.Running bob = NsSipp.scenario("/nat/call-uas-media.xml", proxyTarget()).in(net.bob(), BOB_ADDRESS)
                .localPort(BOB_SIP).key("rtp_port", BOB_RTP).arg("-timeout", "120s").start();
        NsSipp.Running alice = NsSipp.scenario("/edge/call-uac-media.xml", agentTarget()).in(net.alice(), ALICE_ADDRESS)
                .localPort(ALICE_SIP).service("alice").credentials("alice", PASSWORD).key("domain", DOMAIN)
                .key("callee", "bob").key("callee_domain", DOMAIN).key("rtp_port", ALICE_RTP).fill("HOLD_MS", 75_000)
                .arg("-timeout", "120s").start();
        try {
            NsSipp.MediaAddress aliceSends = alice.awaitPeerMedia(Duration.ofSeconds(20));
            NsSipp.MediaAddress bobSends = bob.awaitPeerMedia(Duration.ofSeconds(20));
            List<Integer> links = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (links.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                links = StrictFirewall.tcpPortsTo(net.alice(), RELAY_ADDRESS, 443);
            }
            assertThat(links).as("the agent's one TLS link to the relay for the call\n" + Files.readString(agentLog))
                    .hasSize(1);
            firewall.forgetConnectionToRelayTls(links.get(0));

            // both phones talk from now on; the link is found dead 30-40 s in, then audio flows again
            double seconds = 65;
            long at = System.currentTimeMillis() + 500;
            RtpProbe aliceProbe = RtpProbe.start(net.alice(), ALICE_ADDRESS + ":" + ALICE_RTP, aliceSends.toString(),
                    seconds, at, false);
            RtpProbe bobProbe = RtpProbe.start(net.bob(), BOB_ADDRESS + ":" + BOB_RTP, bobSends.toString(), seconds, at, false);
            RtpProbe.Result aliceMedia = aliceProbe.await(80_000);
            RtpProbe.Result bobMedia = bobProbe.await(80_000);
            String log = Files.readString(agentLog);
            String all = "alice " + aliceMedia.raw() + ", bob " + bobMedia.raw() + "\n" + firewall.describe() + "\nagent:\n" + log;
            System.out.println("edge call across a silently dead TLS link: alice " + aliceMedia.raw() + ", bob " + bobMedia.raw());
            assertThat(log).as(all).contains("nothing from the relay for 30 s, not even a heartbeat answer");
            // 65 s less 40-45 s until the new link is up: at least 10 s of audio each way after it
            assertThat(aliceMedia.received()).as("alice hears bob again: " + all).isGreaterThanOrEqualTo(10 * 50);
            assertThat(bobMedia.received()).as("bob hears alice again: " + all).isGreaterThanOrEqualTo(10 * 50);
            Sipp.Result aliceSipp = alice.await(Duration.ofSeconds(60));
            assertThat(aliceSipp.passed()).as("alice's call, her BYE answered\n" + aliceSipp.describe()).isTrue();
            // not bob's SIPp: his NAT forgets its UDP mapping after 30 s (no NAT keepalives in this
            // class), so over a 75 s call the proxy's BYE may not get back in to him
        } finally {
            alice.kill();
            bob.kill();
        }
    }

    /** Seed 004's "send UDP, receive TCP": the firewall lets UDP out but drops all that comes back. */
    @Test
    void udpOutOnlyFirewallCarriesMediaUpOverUdpAndDownOverTls() throws Exception {
        firewall.apply(Policy.UDP_OUT_ONLY, PUBLIC_ADDRESS);
        startAgent(List.of());
        assertThat(Files.readString(agentLog)).contains("UDP gets out but not back in",
                "media up over UDP to relay " + RELAY_ADDRESS + ", down over TLS to relay " + RELAY_ADDRESS + ":443");
        long up = firewall.packets("udp-up");
        long down = firewall.packets("tls-down");

        aliceCallsBob().assertTwoWay();
        long upCall = firewall.packets("udp-up") - up;
        long downCall = firewall.packets("tls-down") - down;
        System.out.println("edge call udp-out-only: " + upCall + " UDP packets up, " + downCall + " TCP segments down");
        assertThat(upCall).as("alice's media went up over UDP\n" + firewall.describe())
                .isGreaterThanOrEqualTo(PACKETS * 8 / 10);
        assertThat(downCall).as("bob's media came down over TLS\n" + firewall.describe())
                .isGreaterThanOrEqualTo(PACKETS * 8 / 10);
        assertThat(firewall.dropped("udp")).as("UDP coming in was dropped (the probe's STUN answers)\n"
                + firewall.describe()).isPositive();
        // the CDR and the metric say what the firewall's counters saw: UDP up, TLS down, not "tls"
        assertThat(lastCdr("bob")).containsEntry("caller_path", "RELAY_TCP")
                .containsEntry("caller_media_transport", "udp-up/tls-down").containsEntry("callee_media_transport", "udp");
        assertThat(proxy.bean(MeterRegistry.class).get("pinhole.media.transports").tag("leg", "caller")
                .tag("up", "udp").tag("down", "tls").counter().count()).isGreaterThanOrEqualTo(1.0);
    }

    /**
     * The proxy restarts: the agent logs in again over a new connection and alice, who registered
     * over the old one and does not register again, is called through it (the proxy read which agent
     * that connection was from edge_flows). Then the agent freezes (SIGSTOP: its connection stays
     * open, nothing answers): the proxy's heartbeats go unanswered and a call to alice gets 480
     * naming the agent.
     */
    @Test
    void phonesBehindTheAgentOutliveAProxyRestartButNotTheAgentsDeath() throws Exception {
        firewall.apply(Policy.WEB_ONLY, PUBLIC_ADDRESS);
        startAgent(List.of());
        long logins = logins();

        proxy.restart();
        io.pinhole.testsupport.Eventually.eventually(Duration.ofSeconds(40), () -> logins() > logins,
                "the agent logs in to the restarted proxy");
        bobCallsAlice().assertTwoWay();

        String agentId = agentId();
        run("kill", "-STOP", String.valueOf(agent.pid()));
        try {
            EdgeFlows edges = proxy.bean(EdgeFlows.class);
            io.pinhole.testsupport.Eventually.eventually(Duration.ofSeconds(4L * HEARTBEAT_MILLIS / 1000 + 6),
                    () -> edges.unreachableBecause(aliceBindings()).isPresent(), "the frozen agent found dead");
            registerBob();
            Sipp.Result refused = NsSipp.scenario("/sipp/call-uac-480.xml", proxyTarget()).in(net.bob(), BOB_ADDRESS)
                    .localPort(BOB_SIP).service("bob").credentials("bob", PASSWORD).key("domain", DOMAIN)
                    .key("callee", "alice").key("sdp_ip", BOB_ADDRESS).run(Duration.ofSeconds(20));
            assertThat(refused.passed()).as("bob's call to alice behind the dead agent\n" + refused.describe()).isTrue();
            assertThat(refused.messages()).contains("480 Temporarily Unavailable (edge agent " + agentId + " not answering)");
        } finally {
            run("kill", "-CONT", String.valueOf(agent.pid()));
        }
    }

    @Test
    void strictPhoneCallsOverHttpWhenTheRelaysTlsPortIsBlockedToo() throws Exception {
        firewall.apply(Policy.NO_RELAY_TLS, PUBLIC_ADDRESS);
        startAgent(List.of());
        assertThat(Files.readString(agentLog)).contains("TLS to " + RELAY_ADDRESS + ":443 is blocked too",
                "media over HTTP to relay " + RELAY_ADDRESS + ":80");

        aliceCallsBob().assertTwoWay();
        assertThat(lastCdr("bob")).containsEntry("caller_path", "RELAY_HTTP").containsEntry("caller_media_transport", "http");
        bobCallsAlice().assertTwoWay();
        assertThat(lastCdr("alice")).containsEntry("callee_path", "RELAY_HTTP").containsEntry("callee_media_transport", "http");

        assumeBaresip();
        carolIsCalledByAndCallsBob("http");
    }

    /**
     * Nothing leaves alice's LAN but through the forward proxy on the firewall: the agent's SIP goes
     * through it in a CONNECT tunnel (TLS inside), its media as HTTP requests.
     */
    @Test
    void strictPhoneCallsThroughTheFirewallsHttpProxyAlone() throws Exception {
        firewall.apply(Policy.HTTP_PROXY_ONLY, PUBLIC_ADDRESS);
        Path proxyDir = Scratch.directory("edge-tinyproxy");
        String httpProxy = firewall.startTinyproxy(proxyDir, 8888);
        startAgent(List.of("--http-proxy", httpProxy));
        assertThat(Files.readString(agentLog)).contains("media over HTTP to relay " + RELAY_ADDRESS + ":80 through the HTTP proxy "
                + httpProxy).contains("Connected: SIP over TLS to " + PUBLIC_ADDRESS + ":443 through the HTTP proxy " + httpProxy);
        assertThat(StrictFirewall.proxyLog(proxyDir)).as("the SIP went through tinyproxy")
                .contains("CONNECT " + PUBLIC_ADDRESS + ":443 HTTP/1.1");

        aliceCallsBob().assertTwoWay();
        assertThat(lastCdr("bob")).containsEntry("caller_media_transport", "http");
        bobCallsAlice().assertTwoWay();
        assertThat(lastCdr("alice")).containsEntry("callee_media_transport", "http");
        assertThat(StrictFirewall.proxyLog(proxyDir)).as("the media went through tinyproxy")
                .contains("POST http://" + RELAY_ADDRESS + ":80/pinhole/media")
                .contains("GET http://" + RELAY_ADDRESS + ":80/pinhole/media");
        assertThat(firewall.dropped("tcp")).as("the agent's direct attempts at the relay were dropped\n"
                + firewall.describe()).isPositive();

        assumeBaresip();
        long posts = StrictFirewall.proxyLog(proxyDir).lines().filter(l -> l.contains("POST http://" + RELAY_ADDRESS)).count();
        carolIsCalledByAndCallsBob("http");
        assertThat(StrictFirewall.proxyLog(proxyDir).lines().filter(l -> l.contains("POST http://" + RELAY_ADDRESS)).count())
                .as("carol's media went through tinyproxy too").isGreaterThan(posts);
    }

    /**
     * The agent logs in with a token from the admin API instead of a password and carries a call
     * with audio both ways; once the token is revoked the agent is logged out at once (a call to its
     * phone gets 480) and its next login is refused (403, saying why).
     */
    @Test
    void agentLoggedInWithATokenCarriesACallUntilTheTokenIsRevoked() throws Exception {
        firewall.apply(Policy.WEB_ONLY, PUBLIC_ADDRESS);
        var created = proxy.admin("POST", "/api/edge-agents", "{\"name\":\"strict-office\",\"user\":\"edge\",\"domain\":\""
                + DOMAIN + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).get("token").asText();
        Path tokenFile = dir.resolve("edge.token");
        Files.writeString(tokenFile, token + "\n");
        try {
            startAgent(List.of("--token-file", tokenFile.toString()));
            aliceCallsBob().assertTwoWay();
            assertThat(Files.readString(agentLog)).as("the agent never logs its token")
                    .doesNotContain(token.substring(token.lastIndexOf(':') + 1));
            assertThat(proxy.bean(JdbcTemplate.class).queryForObject(
                    "SELECT last_used_at IS NOT NULL FROM edge_agent_tokens WHERE name = 'strict-office'", Boolean.class))
                    .as("the login is recorded").isTrue();

            // revoked while the agent is logged in: it is logged out at once, so bob's call to alice
            // finds no way to her (480) instead of going to whoever holds the token
            assertThat(proxy.admin("DELETE", "/api/edge-agents/strict-office", null).statusCode()).isEqualTo(204);
            registerBob();
            Sipp.Result refusedCall = NsSipp.scenario("/sipp/call-uac-480.xml", proxyTarget()).in(net.bob(), BOB_ADDRESS)
                    .localPort(BOB_SIP).service("bob").credentials("bob", PASSWORD).key("domain", DOMAIN)
                    .key("callee", "alice").key("sdp_ip", BOB_ADDRESS).run(Duration.ofSeconds(20));
            assertThat(refusedCall.passed()).as("bob's call to alice behind the agent whose token was revoked\n"
                    + refusedCall.describe()).isTrue();
            stopAgent();

            launchAgent(List.of("--token-file", tokenFile.toString()));
            String refused = "The proxy refused the agent's login as sip:edge@" + DOMAIN
                    + ": SIP/2.0 403 Edge agent token unknown or revoked";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (!Files.readString(agentLog).contains(refused)) {
                if (!agent.isAlive() || System.nanoTime() > deadline) {
                    fail("the revoked token was not refused:\n" + Files.readString(agentLog));
                }
                Thread.sleep(100);
            }
            assertThat(Files.readString(agentLog)).doesNotContain("Registered as");
        } finally {
            proxy.admin("DELETE", "/api/edge-agents/strict-office", null);
        }
    }

    @Test
    void baresipBehindTheStrictFirewallIsCalledByAndCallsTheNatPhoneOverTls() throws Exception {
        assumeBaresip();
        firewall.apply(Policy.WEB_ONLY, PUBLIC_ADDRESS);
        startAgent(List.of());
        carolIsCalledByAndCallsBob("tls");
    }

    /**
     * Part of each test over a path: carol, a real softphone (baresip) behind the agent, which
     * runs already, is called by bob and calls him; the audio is counted at both phones, and the
     * CDRs name {@code transport} as her media's way out.
     */
    private void carolIsCalledByAndCallsBob(String transport) throws Exception {
        if (!baresipCounting) {
            Baresip.countAudio(net.alice());
            baresipCounting = true;
        }
        Path tone = Baresip.tone(440, 30);
        String outbound = "sip:" + agentTarget();

        // bob calls carol, who answers by herself
        long[] before = Baresip.audioPackets(net.alice());
        try (Baresip carol = Baresip.start(net.alice(), ALICE_ADDRESS, 5090, "sip:carol@" + DOMAIN, PASSWORD, outbound,
                tone, true, 40)) {
            // her own REGISTER answered, not a binding an earlier test's carol left behind
            carol.awaitLog("200 OK", Duration.ofSeconds(15));
            io.pinhole.testsupport.Eventually.eventually(Duration.ofSeconds(15), () -> registered("carol"),
                    "carol registered through the agent\n" + carol.log());
            cdrsBefore = cdrCount("carol");
            registerBob();
            NsSipp.Running bob = NsSipp.scenario("/nat/call-uac-media.xml", proxyTarget()).in(net.bob(), BOB_ADDRESS)
                    .localPort(BOB_SIP).service("bob").credentials("bob", PASSWORD).key("domain", DOMAIN)
                    .key("callee", "carol").key("callee_domain", DOMAIN).key("rtp_port", BOB_RTP).fill("HOLD_MS", 6000)
                    .start();
            try {
                assertCarolAndBobHearEachOther("bob -> carol (baresip) over " + transport, bob, carol, false, before);
            } finally {
                bob.kill();
            }
            assertThat(lastCdr("carol")).containsEntry("callee_media_transport", transport);
        }

        // carol calls bob
        before = Baresip.audioPackets(net.alice());
        registerBob();
        cdrsBefore = cdrCount("bob");
        NsSipp.Running bob = NsSipp.scenario("/nat/call-uas-media.xml", proxyTarget()).in(net.bob(), BOB_ADDRESS)
                .localPort(BOB_SIP).key("rtp_port", BOB_RTP).start();
        try (Baresip carol = Baresip.start(net.alice(), ALICE_ADDRESS, 5090, "sip:carol@" + DOMAIN, PASSWORD, outbound,
                tone, false, 14, "/dial sip:bob@" + DOMAIN)) {
            assertCarolAndBobHearEachOther("carol (baresip) -> bob over " + transport, bob, carol, true, before);
        } finally {
            bob.kill();
        }
        assertThat(lastCdr("bob")).containsEntry("caller", "carol@" + DOMAIN)
                .containsEntry("caller_media_transport", transport);
    }

    /**
     * bob's RTP probe and carol's audio counters over one call: each hears the other, and bob's
     * SIPp passes.
     *
     * @param carolHangsUp carol ends the call by herself (waited for before bob's SIPp)
     * @param before       carol's audio counters before the call
     */
    private void assertCarolAndBobHearEachOther(String label, NsSipp.Running bob, Baresip carol, boolean carolHangsUp,
                                                long[] before) throws IOException {
        NsSipp.MediaAddress bobSends = bob.awaitPeerMedia(Duration.ofSeconds(20));
        RtpProbe bobProbe = RtpProbe.start(net.bob(), BOB_ADDRESS + ":" + BOB_RTP, bobSends.toString(),
                MEDIA_SECONDS, System.currentTimeMillis() + 1000, false);
        RtpProbe.Result bobMedia = bobProbe.await(20_000);
        if (carolHangsUp) {
            carol.awaitExit(Duration.ofSeconds(30));
        }
        Sipp.Result bobSipp = bob.await(SIPP_LIMIT);
        long[] after = Baresip.audioPackets(net.alice());
        String counted = "bob " + bobMedia.raw() + ", carol received/sent " + (after[0] - before[0]) + "/"
                + (after[1] - before[1]);
        String all = counted + "\n--- baresip ---\n" + carol.log() + "\n--- agent ---\n" + Files.readString(agentLog);
        System.out.println("edge call " + label + ": " + counted);
        assertThat(bobSipp.passed()).as(label + "\n" + bobSipp.describe() + "\n" + all).isTrue();
        assertThat(bobMedia.received()).as("bob hears carol: " + all).isGreaterThanOrEqualTo(PACKETS * 8 / 10);
        assertThat(after[0] - before[0]).as("carol hears bob: " + all).isGreaterThanOrEqualTo(PACKETS * 8 / 10);
    }

    /** baresip must be there in CI; elsewhere a test that needs it is skipped (at that point) without it. */
    private static void assumeBaresip() {
        if (Shell.missing("baresip")) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("baresip is not installed (Debian package baresip-core)");
            }
            org.junit.jupiter.api.Assumptions.abort("baresip is not installed");
        }
    }

    private boolean registered(String user) {
        var response = proxy.admin("GET", "/api/registrations?domain=" + DOMAIN + "&user=" + user, null);
        return response.statusCode() == 200 && response.body().contains("\"sourceAddress\"");
    }

    // --- helpers -------------------------------------------------------------------------------

    /** What both phones' RTP probes counted during one call. */
    private record Media(String label, RtpProbe.Result alice, RtpProbe.Result bob, Sipp.Result aliceSipp,
                         Sipp.Result bobSipp, String agentLog) {
        void assertTwoWay() {
            String all = label + ": alice " + alice.raw() + ", bob " + bob.raw();
            System.out.println("edge call " + all);
            assertThat(aliceSipp.passed()).as("alice's SIPp\n" + aliceSipp.describe() + "\nagent:\n" + agentLog).isTrue();
            assertThat(bobSipp.passed()).as("bob's SIPp\n" + bobSipp.describe()).isTrue();
            assertThat(alice.sent()).as(all).isEqualTo(PACKETS);
            assertThat(bob.sent()).as(all).isEqualTo(PACKETS);
            assertThat(bob.received()).as("bob hears alice: " + all + "\nagent:\n" + agentLog)
                    .isGreaterThanOrEqualTo(PACKETS * 8 / 10);
            assertThat(alice.received()).as("alice hears bob: " + all + "\nagent:\n" + agentLog)
                    .isGreaterThanOrEqualTo(PACKETS * 8 / 10);
        }
    }

    private Media aliceCallsBob() throws IOException {
        cdrsBefore = cdrCount("bob");
        registerBob();
        NsSipp.Running bob = NsSipp.scenario("/nat/call-uas-media.xml", proxyTarget()).in(net.bob(), BOB_ADDRESS)
                .localPort(BOB_SIP).key("rtp_port", BOB_RTP).start();
        NsSipp.Running alice = alice(NsSipp.scenario("/edge/call-uac-media.xml", agentTarget()).in(net.alice(), ALICE_ADDRESS)
                .localPort(ALICE_SIP).service("alice").credentials("alice", PASSWORD).key("domain", DOMAIN)
                .key("callee", "bob").key("callee_domain", DOMAIN).key("rtp_port", ALICE_RTP).fill("HOLD_MS", 6000))
                .start();
        return media("alice -> bob", alice, bob);
    }

    private Media bobCallsAlice() throws IOException {
        cdrsBefore = cdrCount("alice");
        registerBob();
        NsSipp.Running alice = NsSipp.scenario("/edge/call-uas-media.xml", agentTarget()).in(net.alice(), ALICE_ADDRESS)
                .localPort(ALICE_SIP).key("rtp_port", ALICE_RTP).start();
        NsSipp.Running bob = NsSipp.scenario("/nat/call-uac-media.xml", proxyTarget()).in(net.bob(), BOB_ADDRESS)
                .localPort(BOB_SIP).service("bob").credentials("bob", PASSWORD).key("domain", DOMAIN)
                .key("callee", "alice").key("callee_domain", DOMAIN).key("rtp_port", BOB_RTP).fill("HOLD_MS", 6000)
                .start();
        return media("bob -> alice", alice, bob);
    }

    private Media media(String label, NsSipp.Running alice, NsSipp.Running bob) throws IOException {
        try {
            NsSipp.MediaAddress aliceSends = alice.awaitPeerMedia(Duration.ofSeconds(20));
            NsSipp.MediaAddress bobSends = bob.awaitPeerMedia(Duration.ofSeconds(20));
            assertThat(aliceSends.address()).as("alice sends to the agent on her LAN").isEqualTo(ALICE_ADDRESS);
            assertThat(bobSends.address()).as("bob sends to the relay").isEqualTo(RELAY_ADDRESS);
            long at = System.currentTimeMillis() + 1000;
            RtpProbe aliceProbe = RtpProbe.start(net.alice(), ALICE_ADDRESS + ":" + ALICE_RTP, aliceSends.toString(),
                    MEDIA_SECONDS, at, false);
            RtpProbe bobProbe = RtpProbe.start(net.bob(), BOB_ADDRESS + ":" + BOB_RTP, bobSends.toString(),
                    MEDIA_SECONDS, at, false);
            RtpProbe.Result aliceMedia = aliceProbe.await(20_000);
            RtpProbe.Result bobMedia = bobProbe.await(20_000);
            Sipp.Result aliceSipp = alice.await(SIPP_LIMIT);
            Sipp.Result bobSipp = bob.await(SIPP_LIMIT);
            return new Media(label, aliceMedia, bobMedia, aliceSipp, bobSipp, Files.readString(agentLog));
        } finally {
            alice.kill();
            bob.kill();
        }
    }

    /**
     * Starts the agent in alice's LAN (logged in with the password of user edge unless {@code extra}
     * gives a --token-file), without waiting for anything.
     */
    private void launchAgent(List<String> extra) throws IOException {
        String jar = System.getProperty("pinhole.test.edge-jar");
        assertThat(jar).as("pinhole.test.edge-jar (run through Maven)").isNotNull();
        agentLog = Scratch.file("edge-agent", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-jar", jar, "--upstream", PUBLIC_ADDRESS + ":443",
                "--sip-port", String.valueOf(AGENT_SIP), "--lan-address", ALICE_ADDRESS, "--trust", certificate.toString(),
                "--relay", RELAY_ADDRESS));
        if (!extra.contains("--token-file")) {
            Path credential = dir.resolve("edge.properties");
            Files.writeString(credential, "user=edge\ndomain=" + DOMAIN + "\npassword=" + PASSWORD + "\n");
            command.addAll(List.of("--credential", credential.toString()));
        }
        command.addAll(extra);
        agent = StrictFirewall.startIn(net.alice(), command, agentLog);
    }

    /** Starts the agent in alice's LAN, waits for its login, then registers alice through it. */
    private void startAgent(List<String> extra) throws Exception {
        launchAgent(extra);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (!Files.readString(agentLog).contains("Registered as sip:edge@" + DOMAIN)) {
            if (!agent.isAlive() || System.nanoTime() > deadline) {
                fail("the edge agent did not log in:\n" + Files.readString(agentLog) + "\n" + firewall.describe());
            }
            Thread.sleep(100);
        }
        Sipp.Result registered = alice(NsSipp.scenario("/sipp/register.xml", agentTarget()).in(net.alice(), ALICE_ADDRESS)
                .localPort(ALICE_SIP).service("alice").credentials("alice", PASSWORD).key("domain", DOMAIN)
                .key("expires", 600)).run(Duration.ofSeconds(20));
        assertThat(registered.passed()).as("alice registers through the agent\n" + registered.describe() + "\nagent:\n"
                + Files.readString(agentLog)).isTrue();
    }

    /** alice's scenario as she sends it in this test: with or without {@code ;rport}. */
    private NsSipp alice(NsSipp scenario) {
        return aliceWithoutRport ? scenario.withoutRport() : scenario;
    }

    /** How often the agent has logged in to the proxy so far. */
    private long logins() {
        try {
            return Files.readString(agentLog).lines().filter(l -> l.contains("Registered as sip:edge@" + DOMAIN)).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The agent's id, from its start-up line. */
    private String agentId() throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("agent id ([0-9a-f-]{36})")
                .matcher(Files.readString(agentLog));
        assertThat(m.find()).as("the agent logs its id").isTrue();
        return m.group(1);
    }

    private List<io.pinhole.proxy.registrar.Binding> aliceBindings() {
        return proxy.bean(io.pinhole.proxy.registrar.BindingCache.class).lookup("alice@" + DOMAIN, java.time.Instant.now());
    }

    private void registerBob() {
        Sipp.Result registered = NsSipp.scenario("/sipp/register.xml", proxyTarget()).in(net.bob(), BOB_ADDRESS)
                .localPort(BOB_SIP).service("bob").credentials("bob", PASSWORD).key("domain", DOMAIN).key("expires", 600)
                .run(Duration.ofSeconds(20));
        assertThat(registered.passed()).as("bob registers\n" + registered.describe()).isTrue();
    }

    private String proxyTarget() {
        return PUBLIC_ADDRESS + ":" + proxy.sipPort();
    }

    private static String agentTarget() {
        return ALICE_ADDRESS + ":" + AGENT_SIP;
    }

    private int cdrCount(String callee) {
        return proxy.bean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM calls WHERE callee = ?", Integer.class,
                callee + "@" + DOMAIN);
    }

    /** The CDR of the call to {@code callee} just made (written after its BYE, asynchronously). */
    private Map<String, Object> lastCdr(String callee) {
        io.pinhole.testsupport.Eventually.eventually(Duration.ofSeconds(5), () -> cdrCount(callee) > cdrsBefore,
                "the call's CDR");
        return proxy.bean(JdbcTemplate.class).queryForMap("SELECT * FROM calls WHERE callee = ? ORDER BY id DESC LIMIT 1",
                callee + "@" + DOMAIN);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
