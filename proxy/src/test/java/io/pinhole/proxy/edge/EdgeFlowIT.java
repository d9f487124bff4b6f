package io.pinhole.proxy.edge;

import io.pinhole.proxy.auth.DigestAlgorithm;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RawRegister;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.proxy.support.StreamMediaClient;
import io.pinhole.proxy.support.TcpSipPhone;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.RawSip;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy's side of an edge agent, without the agent: a raw SIP client over TCP logs in with
 * {@code Pinhole-Edge}, calls and is called by a SIPp phone on UDP, and carries its media over a
 * TLS connection to the relay with the token the SDP gave it, as the agent would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeFlowIT {

    private static final String DOMAIN = "edge.example";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String PASSWORD = "correct-horse";
    private static final Pattern PINHOLE_MEDIA = Pattern.compile("(?m)^a=pinhole-media:(\\w+) (\\d+) ([A-Za-z0-9_-]+)\\r?$");

    private RelayProcess relay;
    private ProxyInstance proxy;
    private int tlsMediaPort;
    private int httpMediaPort;

    @BeforeAll
    void start() {
        tlsMediaPort = FreePorts.udpAndTcp();
        httpMediaPort = FreePorts.udpAndTcp();
        relay = RelayProcess.start(44000, 44499, "127.0.0.1", Map.of("pinhole.relay.tls-port", tlsMediaPort,
                "pinhole.relay.http-media-port", httpMediaPort));
        proxy = ProxyInstance.start(Map.of("pinhole.media.default-relay", relay.control(),
                "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false));
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void edgeCallerGetsATokenAndItsTlsMediaReachesTheUdpPhoneAndBack() throws Exception {
        proxy.addUser(DOMAIN, "agent", PASSWORD);
        proxy.addUser(DOMAIN, "bob", PASSWORD);
        Sipp.Running bob = udpPhone("bob");
        try (TcpSipPhone agent = new TcpSipPhone(proxy.sipPort())) {
            assertThat(RawSip.status(register(agent, "agent", "media=tls;udp-out=no;udp-in=no;id=" + UUID.randomUUID())))
                    .isEqualTo(200);

            EdgeCall call = new EdgeCall(agent, "agent", "bob");
            String ok = call.invite();
            assertThat(RawSip.status(ok)).as(ok).isEqualTo(200);
            Matcher grant = PINHOLE_MEDIA.matcher(ok);
            assertThat(grant.find()).as(ok).isTrue();
            assertThat(grant.group(1)).isEqualTo("tls");
            assertThat(Integer.parseInt(grant.group(2))).isEqualTo(tlsMediaPort);
            assertThat(ok).contains("c=IN IP4 127.0.0.1");
            assertThat(ok.indexOf("a=pinhole-media:")).isLessThan(ok.indexOf("m=audio"));
            call.ack(ok);

            try (StreamMediaClient media = StreamMediaClient.connect("127.0.0.1", tlsMediaPort, true)) {
                assertThat(media.hello(grant.group(3))).isEqualTo("OK");
                int echoed = exchangeRtp(media);
                assertThat(echoed).as("RTP sent over TLS, echoed by the UDP phone, back over TLS").isGreaterThanOrEqualTo(10);
            }
            call.bye();
        }
        Sipp.Result bobResult = bob.await();
        assertThat(bobResult.passed()).as(bobResult.describe()).isTrue();
        assertThat(bobResult.messages()).doesNotContain("pinhole-media");

        eventually(Duration.ofSeconds(5), () -> cdrs("bob").size() == 1, "CDR written");
        assertThat(cdrs("bob").get(0)).containsEntry("caller_path", "RELAY_TCP").containsEntry("caller_path_planned", "RELAY_TCP")
                .containsEntry("caller_media_transport", "tls").containsEntry("callee_path", "RELAY_UDP")
                .containsEntry("callee_media_transport", "udp");
        assertThat((String) cdrs("bob").get(0).get("path_reason")).contains("edge agent carries its media over tls");
    }

    /** Sends 20 RTP packets as stream 0 and counts the echoes that come back over the connection. */
    private static int exchangeRtp(StreamMediaClient media) throws Exception {
        int echoed = 0;
        for (int i = 0; i < 20; i++) {
            media.send(0, StreamMediaClient.rtp(i + 1, 0x1234, (byte) 0x55));
            Thread.sleep(20);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < deadline && echoed < 20) {
            StreamMediaClient.Frame frame = media.read();
            if (frame == null) {
                break;
            }
            if (frame.streamId() == 0 && frame.packet().length == 172 && frame.packet()[20] == 0x55) {
                echoed++;
            }
        }
        return echoed;
    }

    /**
     * A phone behind the agent registered over the agent's first connection; the agent reconnects
     * and re-registers (same id): the call to the phone comes over the new connection, its INVITE and
     * the caller's re-INVITEs carry the answerer's token, which opens the relay's TLS port. Once the
     * agent unregisters, the phone cannot be reached.
     */
    @Test
    void callToAPhoneBehindTheAgentFollowsItsReconnectAndCarriesTheToken() throws Exception {
        proxy.addUser(DOMAIN, "agent2", PASSWORD);
        proxy.addUser(DOMAIN, "carol", PASSWORD);
        proxy.addUser(DOMAIN, "dave", PASSWORD);
        String header = "media=tls;udp-out=yes;udp-in=no;id=" + UUID.randomUUID();
        String carolContact = "sip:carol@192.168.77.20:5062";
        try (TcpSipPhone first = new TcpSipPhone(proxy.sipPort())) {
            assertThat(RawSip.status(register(first, "agent2", header))).isEqualTo(200);
            assertThat(RawSip.status(register(first, "carol", carolContact, null, 600))).isEqualTo(200);
        }
        try (TcpSipPhone second = new TcpSipPhone(proxy.sipPort())) {
            assertThat(RawSip.status(register(second, "agent2", header))).isEqualTo(200);

            Sipp.Running dave = Sipp.scenario("call-uac-hold.xml", proxy.sipTarget()).service("dave")
                    .credentials("dave", PASSWORD).key("domain", DOMAIN).key("callee", "carol").key("sdp_ip", "127.0.0.1")
                    .start();
            List<String> invites = new java.util.ArrayList<>();
            while (true) {
                String message = second.read();
                if (message.startsWith("INVITE ")) {
                    invites.add(message);
                    if (invites.size() == 1) {
                        Matcher grant = PINHOLE_MEDIA.matcher(message);
                        assertThat(grant.find()).as(message).isTrue();
                        try (StreamMediaClient media = StreamMediaClient.connect("127.0.0.1", tlsMediaPort, true)) {
                            assertThat(media.hello(grant.group(3))).as("the answerer's token opens the TLS port").isEqualTo("OK");
                        }
                    }
                    second.send(TcpSipPhone.respond(message, "200 OK", "caroltag",
                            "Contact: <" + carolContact + ";transport=tcp>\r\n",
                            EdgeCall.SDP + (message.contains("a=sendonly") ? "a=recvonly\r\n" : "a=sendrecv\r\n")));
                } else if (message.startsWith("BYE ")) {
                    second.send(TcpSipPhone.respond(message, "200 OK", null, "", null));
                    break;
                }
            }
            Sipp.Result daveResult = dave.await();
            assertThat(daveResult.passed()).as(daveResult.describe()).isTrue();
            assertThat(invites).hasSize(3);
            assertThat(invites.get(0)).startsWith("INVITE " + carolContact);
            String token = token(invites.get(0));
            assertThat(invites).allSatisfy(invite -> assertThat(token(invite)).as(invite).isEqualTo(token));
            assertThat(daveResult.messages()).doesNotContain("pinhole-media");

            eventually(Duration.ofSeconds(5), () -> cdrs("carol").size() == 1, "CDR written");
            assertThat(cdrs("carol").get(0)).containsEntry("callee_path", "RELAY_TCP")
                    .containsEntry("callee_media_transport", "tls").containsEntry("caller_path", "RELAY_UDP")
                    .containsEntry("caller_media_transport", "udp");

            assertThat(RawSip.status(register(second, "agent2",
                    "sip:agent2@127.0.0.1:" + second.localPort() + ";transport=tcp", header, 0))).isEqualTo(200);
            Sipp.Result unreachable = Sipp.scenario("call-uac-480.xml", proxy.sipTarget()).service("dave")
                    .credentials("dave", PASSWORD).key("domain", DOMAIN).key("callee", "carol").key("sdp_ip", "127.0.0.1")
                    .run();
            assertThat(unreachable.passed()).as("carol's binding is skipped once her agent is gone: "
                    + unreachable.describe()).isTrue();
        }
    }

    @Test
    void edgeCallerOnHttpIsPlannedRelayHttpAndToldTheHttpPort() throws Exception {
        proxy.addUser(DOMAIN, "agent6", PASSWORD);
        proxy.addUser(DOMAIN, "erin", PASSWORD);
        Sipp.Running erin = udpPhone("erin");
        try (TcpSipPhone agent = new TcpSipPhone(proxy.sipPort())) {
            assertThat(RawSip.status(register(agent, "agent6", "media=http;udp-out=no;udp-in=no;id=" + UUID.randomUUID())))
                    .isEqualTo(200);
            EdgeCall call = new EdgeCall(agent, "agent6", "erin");
            String ok = call.invite();
            assertThat(RawSip.status(ok)).as(ok).isEqualTo(200);
            call.ack(ok);
            Matcher grant = PINHOLE_MEDIA.matcher(ok);
            assertThat(grant.find()).as(ok).isTrue();
            assertThat(grant.group(1)).isEqualTo("http");
            assertThat(Integer.parseInt(grant.group(2))).isEqualTo(httpMediaPort);
            call.bye();
        }
        Sipp.Result erinResult = erin.await();
        assertThat(erinResult.passed()).as(erinResult.describe()).isTrue();
        eventually(Duration.ofSeconds(5), () -> cdrs("erin").size() == 1, "CDR written");
        assertThat(cdrs("erin").get(0)).containsEntry("caller_path", "RELAY_HTTP")
                .containsEntry("caller_media_transport", "http").containsEntry("callee_media_transport", "udp");
    }

    /**
     * The proxy is told nothing of the relay's transports: it reads them from the relay's pong (TLS
     * and HTTP bound here, plain TCP not). An agent on plain TCP is planned RELAY_TCP (the pool serves
     * stream media) but no relay serves TCP: the caller is refused, saying so, not sent to a relay
     * its agent could not reach.
     */
    @Test
    void relayTransportsAreLearnedFromItsPongAndACallNeedingOneItLacksIsRefused() throws Exception {
        io.pinhole.proxy.relay.Relay pooled = proxy.bean(io.pinhole.proxy.relay.RelayPool.class).relays().get(0);
        eventually(Duration.ofSeconds(5), () -> pooled.transports().size() == 3, "the relay's pong read");
        assertThat(pooled.transports()).containsExactlyInAnyOrder(io.pinhole.proxy.media.MediaTransport.UDP,
                io.pinhole.proxy.media.MediaTransport.TLS, io.pinhole.proxy.media.MediaTransport.HTTP);

        proxy.addUser(DOMAIN, "agent9", PASSWORD);
        proxy.addUser(DOMAIN, "fred", PASSWORD);
        // fred is registered (the call gets as far as its relay) but never rung: nothing answers at his port
        Sipp.Result fred = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(FreePorts.udpAndTcp())
                .service("fred").credentials("fred", PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(fred.passed()).as(fred.describe()).isTrue();
        try (TcpSipPhone agent = new TcpSipPhone(proxy.sipPort())) {
            assertThat(RawSip.status(register(agent, "agent9", "media=tcp;udp-out=no;udp-in=no;id=" + UUID.randomUUID())))
                    .isEqualTo(200);
            EdgeCall call = new EdgeCall(agent, "agent9", "fred");
            String refused = call.invite();
            call.ack(refused);
            assertThat(refused).as(refused).startsWith("SIP/2.0 503 No media relay serves tcp media");
            assertThat(RawSip.header(refused, "Retry-After")).isNotNull();
        }
    }

    /** The callee's answers to the edge caller's own re-INVITEs (hold, resume) keep the caller's token. */
    @Test
    void reInviteAnswersTowardsTheEdgeCallerKeepTheToken() throws Exception {
        proxy.addUser(DOMAIN, "agent7", PASSWORD);
        proxy.addUser(DOMAIN, "frank", PASSWORD);
        int port = FreePorts.udpAndTcp();
        Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(port).service("frank")
                .credentials("frank", PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(registered.passed()).as(registered.describe()).isTrue();
        Sipp.Running frank = Sipp.scenario("call-uas-hold.xml", proxy.sipTarget()).localPort(port).start();
        try (TcpSipPhone agent = new TcpSipPhone(proxy.sipPort())) {
            assertThat(RawSip.status(register(agent, "agent7", "media=tls;udp-out=no;udp-in=no;id=" + UUID.randomUUID())))
                    .isEqualTo(200);
            EdgeCall call = new EdgeCall(agent, "agent7", "frank");
            String ok = call.invite();
            assertThat(RawSip.status(ok)).as(ok).isEqualTo(200);
            call.ack(ok);
            String token = token(ok);

            String held = call.reInvite(EdgeCall.SDP + "a=sendonly\r\n");
            String resumed = call.reInvite(EdgeCall.SDP + "a=sendrecv\r\n");

            assertThat(RawSip.status(held)).as(held).isEqualTo(200);
            assertThat(token(held)).isEqualTo(token);
            assertThat(held).contains("a=recvonly");
            assertThat(RawSip.status(resumed)).as(resumed).isEqualTo(200);
            assertThat(token(resumed)).isEqualTo(token);
            call.bye();
        }
        Sipp.Result frankResult = frank.await();
        assertThat(frankResult.passed()).as(frankResult.describe()).isTrue();
        assertThat(frankResult.messages()).doesNotContain("pinhole-media");
    }

    @Test
    void headerOnAnUnauthenticatedRegisterIsIgnored() throws Exception {
        proxy.addUser(DOMAIN, "agent3", PASSWORD);
        try (TcpSipPhone agent = new TcpSipPhone(proxy.sipPort())) {
            RawRegister reg = new RawRegister("agent3", DOMAIN, agent.localPort());
            agent.send(tcp(reg.request("Contact: <sip:agent3@127.0.0.1:" + agent.localPort() + ";transport=tcp>\r\n"
                    + "Pinhole-Edge: media=tls;udp-out=no;udp-in=no;id=" + UUID.randomUUID() + "\r\n")));

            assertThat(RawSip.status(agent.readUntil("SIP/2.0"))).isEqualTo(401);
            assertThat(proxy.bean(EdgeFlows.class).at(new io.pinhole.proxy.sip.Flow("127.0.0.1", agent.localPort(),
                    "TCP"))).isEmpty();
        }
    }

    @Test
    void headerOverUdpIsRefusedEvenWithTheRightPassword() {
        proxy.addUser(DOMAIN, "agent4", PASSWORD);
        try (RawSip udp = new RawSip(proxy.sipPort())) {
            RawRegister reg = new RawRegister("agent4", DOMAIN, udp.localPort());
            String extra = reg.contact() + "Pinhole-Edge: media=udp;udp-out=yes;udp-in=yes;id=" + UUID.randomUUID() + "\r\n";
            String challenge = udp.request(reg.request(extra)).orElseThrow();
            String nonce = RawSip.headers(challenge, "WWW-Authenticate").stream().map(RawRegister::challengeParams)
                    .filter(p -> "MD5".equals(p.get("algorithm"))).findFirst().orElseThrow().get("nonce");
            String refused = udp.request(reg.request(extra + reg.authorization(DigestAlgorithm.MD5, PASSWORD, nonce,
                    "00000001"))).orElseThrow();

            assertThat(refused).startsWith("SIP/2.0 400 Pinhole-Edge is accepted over TCP or TLS only, not UDP");
        }
    }

    @Test
    void malformedHeaderGets400WithTheReasonAndNoBinding() throws Exception {
        proxy.addUser(DOMAIN, "agent5", PASSWORD);
        try (TcpSipPhone agent = new TcpSipPhone(proxy.sipPort())) {
            String refused = register(agent, "agent5", "media=sctp;udp-out=no;udp-in=no;id=" + UUID.randomUUID());

            assertThat(refused).startsWith("SIP/2.0 400 Pinhole-Edge media=sctp is none of udp, tcp, tls, http");
            assertThat(proxy.bean(io.pinhole.proxy.registrar.BindingCache.class).lookup("agent5@" + DOMAIN,
                    java.time.Instant.now())).isEmpty();
        }
    }

    /**
     * The admin API makes a token for an agent and shows it once: listing shows no secret, the table
     * holds only its SHA-256, a second live token of the same name or one for an unknown user is
     * refused, and revoking frees the name.
     */
    @Test
    void edgeAgentTokensAreMadeShownOnceListedWithoutSecretsAndRevoked() throws Exception {
        proxy.addUser(DOMAIN, "tokenuser1", PASSWORD);
        var created = proxy.admin("POST", "/api/edge-agents", "{\"name\":\"office7\",\"user\":\"tokenuser1\",\"domain\":\""
                + DOMAIN + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var made = JSON.readTree(created.body());
        String token = made.get("token").asText();
        assertThat(token).matches("tokenuser1@" + DOMAIN + ":[0-9a-f]{64}");
        assertThat(made.get("aor").asText()).isEqualTo("tokenuser1@" + DOMAIN);
        String secret = token.substring(token.lastIndexOf(':') + 1);

        var listed = proxy.admin("GET", "/api/edge-agents", null);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"name\":\"office7\"", "\"aor\":\"tokenuser1@" + DOMAIN + "\"")
                .doesNotContain(secret).doesNotContain("\"token\"");
        Map<String, Object> row = proxy.bean(JdbcTemplate.class).queryForMap(
                "SELECT * FROM edge_agent_tokens WHERE name = 'office7'");
        assertThat(row.get("token_sha256")).isEqualTo(EdgeTokens.sha256(secret));
        assertThat(row.values()).as("no column holds the token").noneMatch(v -> String.valueOf(v).contains(secret));

        String again = "{\"name\":\"office7\",\"user\":\"tokenuser1\",\"domain\":\"" + DOMAIN + "\"}";
        assertThat(proxy.admin("POST", "/api/edge-agents", again).statusCode()).isEqualTo(409);
        var nobody = proxy.admin("POST", "/api/edge-agents", "{\"name\":\"x\",\"user\":\"nobody\",\"domain\":\""
                + DOMAIN + "\"}");
        assertThat(nobody.statusCode()).isEqualTo(404);
        assertThat(nobody.body()).contains("user nobody@" + DOMAIN + " not found");
        assertThat(proxy.admin("POST", "/api/edge-agents", "{\"name\":\"a b\",\"user\":\"tokenuser1\",\"domain\":\""
                + DOMAIN + "\"}").body()).contains("name: may contain letters");
        assertThat(proxy.adminWithToken("GET", "/api/edge-agents", null, null).statusCode()).isEqualTo(401);

        assertThat(proxy.admin("DELETE", "/api/edge-agents/office7", null).statusCode()).isEqualTo(204);
        assertThat(proxy.admin("DELETE", "/api/edge-agents/office7", null).statusCode()).as("no live token").isEqualTo(404);
        var revoked = JSON.readTree(proxy.admin("GET", "/api/edge-agents", null).body());
        assertThat(revoked.toString()).contains("\"revokedAt\":\"");
        assertThat(proxy.admin("POST", "/api/edge-agents", again).statusCode()).as("the name is free again").isEqualTo(201);
        proxy.admin("DELETE", "/api/edge-agents/office7", null);
    }

    /** Over plain TCP a token is refused even when it is live: anyone on the path could have read it. */
    @Test
    void aTokenOverPlainTcpIsRefusedAndMakesNoBinding() throws Exception {
        proxy.addUser(DOMAIN, "tokenuser2", PASSWORD);
        var created = proxy.admin("POST", "/api/edge-agents", "{\"name\":\"office6\",\"user\":\"tokenuser2\",\"domain\":\""
                + DOMAIN + "\"}");
        String token = JSON.readTree(created.body()).get("token").asText();
        try (TcpSipPhone agent = new TcpSipPhone(proxy.sipPort())) {
            RawRegister reg = new RawRegister("tokenuser2", DOMAIN, agent.localPort());
            agent.send(tcp(reg.request("Contact: <sip:tokenuser2@127.0.0.1:" + agent.localPort() + ";transport=tcp>\r\n"
                    + "Pinhole-Edge: media=tls;udp-out=no;udp-in=no;id=" + UUID.randomUUID() + ";token="
                    + token.substring(token.lastIndexOf(':') + 1) + "\r\n")));

            assertThat(agent.readUntil("SIP/2.0")).startsWith(
                    "SIP/2.0 403 Edge agent tokens are accepted over TLS only, not TCP");
            assertThat(proxy.bean(io.pinhole.proxy.registrar.BindingCache.class).lookup("tokenuser2@" + DOMAIN,
                    java.time.Instant.now())).isEmpty();
            assertThat(proxy.bean(EdgeFlows.class).at(new io.pinhole.proxy.sip.Flow("127.0.0.1", agent.localPort(),
                    "TCP"))).isEmpty();
        } finally {
            proxy.admin("DELETE", "/api/edge-agents/office6", null);
        }
    }

    private static String token(String message) {
        Matcher grant = PINHOLE_MEDIA.matcher(message);
        assertThat(grant.find()).as(message).isTrue();
        assertThat(grant.group(1)).isEqualTo("tls");
        return grant.group(3);
    }

    // --- helpers -------------------------------------------------------------------------------

    /** A SIPp phone on UDP registered as {@code user}, answering one call and echoing its RTP. */
    private Sipp.Running udpPhone(String user) {
        int port = FreePorts.udpAndTcp();
        Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(port).service(user)
                .credentials(user, PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(registered.passed()).as(registered.describe()).isTrue();
        return Sipp.scenario("call-uas.xml", proxy.sipTarget()).localPort(port).arg("-rtp_echo").start();
    }

    /** REGISTER over the connection with digest, the header given (null: none); the final response. */
    static String register(TcpSipPhone phone, String user, String edgeHeader) throws Exception {
        return register(phone, user, "sip:" + user + "@127.0.0.1:" + phone.localPort() + ";transport=tcp", edgeHeader, 600);
    }

    /** The same with the Contact and Expires given (a phone behind the agent registers its LAN Contact). */
    static String register(TcpSipPhone phone, String user, String contactUri, String edgeHeader, int expires)
            throws Exception {
        String extra = "Contact: <" + contactUri + ">\r\nExpires: " + expires + "\r\n"
                + (edgeHeader == null ? "" : "Pinhole-Edge: " + edgeHeader + "\r\n");
        RawRegister reg = new RawRegister(user, DOMAIN, phone.localPort());
        phone.send(tcp(reg.request(extra)));
        String challenge = phone.readUntil("SIP/2.0");
        if (RawSip.status(challenge) != 401) {
            return challenge;
        }
        String nonce = RawSip.headers(challenge, "WWW-Authenticate").stream().map(RawRegister::challengeParams)
                .filter(p -> "MD5".equals(p.get("algorithm"))).findFirst().orElseThrow().get("nonce");
        phone.send(tcp(reg.request(extra + reg.authorization(DigestAlgorithm.MD5, PASSWORD, nonce, "00000001"))));
        return phone.readUntil("SIP/2.0");
    }

    static String tcp(String udpRequest) {
        return udpRequest.replace("SIP/2.0/UDP", "SIP/2.0/TCP");
    }

    private List<Map<String, Object>> cdrs(String callee) {
        return proxy.bean(JdbcTemplate.class).queryForList("SELECT * FROM calls WHERE callee = ?", callee + "@" + DOMAIN);
    }

    /** One call placed by the raw client over its connection: INVITE with digest, ACK, BYE. */
    static final class EdgeCall {
        private final TcpSipPhone phone;
        private final String user;
        private final String callee;
        private final String callId = UUID.randomUUID().toString();
        private final String fromTag = "edge" + Integer.toHexString(callId.hashCode());
        private String toTag;
        private String remoteTarget;
        private int cseq = 1;

        EdgeCall(TcpSipPhone phone, String user, String callee) {
            this.phone = phone;
            this.user = user;
            this.callee = callee;
        }

        static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 7078 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";

        private String request(String method, String uri, String extra, String body) {
            return method + " " + uri + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/TCP 127.0.0.1:" + phone.localPort() + ";branch=z9hG4bK" + UUID.randomUUID().toString()
                    .replace("-", "") + ";rport\r\n"
                    + "From: <sip:" + user + "@" + DOMAIN + ">;tag=" + fromTag + "\r\n"
                    + "To: <sip:" + callee + "@" + DOMAIN + ">" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: " + (method.equals("ACK") ? cseq : ++cseq) + " " + method + "\r\n"
                    + "Contact: <sip:" + user + "@127.0.0.1:" + phone.localPort() + ";transport=tcp>\r\n"
                    + "Max-Forwards: 70\r\n"
                    + extra
                    + (body == null ? "Content-Length: 0\r\n\r\n"
                    : "Content-Type: application/sdp\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        }

        /** INVITE, answered 407 with digest, until the final response (returned). */
        String invite() throws Exception {
            String uri = "sip:" + callee + "@" + DOMAIN;
            phone.send(request("INVITE", uri, "", SDP));
            String challenge = finalResponse();
            if (RawSip.status(challenge) != 407) {
                return challenge;
            }
            ack(challenge);
            String nonce = RawSip.headers(challenge, "Proxy-Authenticate").stream().map(RawRegister::challengeParams)
                    .filter(p -> "MD5".equals(p.get("algorithm"))).findFirst().orElseThrow().get("nonce");
            DigestAlgorithm md5 = DigestAlgorithm.MD5;
            String ha1 = md5.hex(user + ":" + DOMAIN + ":" + PASSWORD);
            String ha2 = md5.hex("INVITE:" + uri);
            String response = md5.hex(ha1 + ":" + nonce + ":00000001:c0ffee:auth:" + ha2);
            String auth = "Proxy-Authorization: Digest username=\"" + user + "\",realm=\"" + DOMAIN + "\",nonce=\""
                    + nonce + "\",uri=\"" + uri + "\",response=\"" + response + "\",algorithm=MD5,qop=auth,nc=00000001,"
                    + "cnonce=\"c0ffee\"\r\n";
            phone.send(request("INVITE", uri, auth, SDP));
            return finalResponse();
        }

        private String finalResponse() throws Exception {
            while (true) {
                String response = phone.readUntil("SIP/2.0");
                if (RawSip.status(response) >= 200) {
                    return response;
                }
            }
        }

        /** ACK of a final response: in the dialog for a 2xx (to its Contact), as the transaction's for others. */
        void ack(String response) throws Exception {
            if (RawSip.status(response) >= 300) {
                String via = RawSip.header(response, "Via");
                String to = RawSip.header(response, "To");
                phone.send("ACK sip:" + callee + "@" + DOMAIN + " SIP/2.0\r\nVia: " + via + "\r\n"
                        + "From: <sip:" + user + "@" + DOMAIN + ">;tag=" + fromTag + "\r\nTo: " + to + "\r\n"
                        + "Call-ID: " + callId + "\r\nCSeq: " + cseq + " ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
                return;
            }
            Matcher tag = Pattern.compile(";tag=([^;>\\s]+)").matcher(RawSip.header(response, "To"));
            assertThat(tag.find()).isTrue();
            toTag = tag.group(1);
            Matcher contact = Pattern.compile("<([^>]+)>").matcher(RawSip.header(response, "Contact"));
            assertThat(contact.find()).isTrue();
            remoteTarget = contact.group(1);
            phone.send(request("ACK", remoteTarget, "", null));
        }

        /** A re-INVITE in the dialog with {@code sdp}, ACKed; its final response. */
        String reInvite(String sdp) throws Exception {
            phone.send(request("INVITE", remoteTarget, "", sdp));
            String response = finalResponse();
            phone.send(request("ACK", remoteTarget, "", null));
            return response;
        }

        /** BYE in the dialog; its 200. */
        String bye() throws Exception {
            phone.send(request("BYE", remoteTarget, "", null));
            return finalResponse();
        }
    }
}
