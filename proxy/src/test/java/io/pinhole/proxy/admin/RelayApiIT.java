package io.pinhole.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relays through the admin API: the rows, this proxy's view of their health and load, and a
 * drain with real relays and SIPp calls (no new call on the drained relay, the call already on
 * it carries on and ends there).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOMAIN = "drain.example";
    private static final String PASSWORD = "correct-horse";

    private ProxyInstance proxy;

    @BeforeAll
    void start() {
        proxy = ProxyInstance.start(Map.of("pinhole.media.default-relay", "127.0.0.1:" + FreePorts.udpAndTcp(),
                "pinhole.media.ping-interval", "500ms", "pinhole.media.timeout", "500ms"));
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @Test
    void addsShowsChangesAndDeletesARelay() {
        var created = proxy.admin("POST", "/api/relays", "{\"name\":\"crud-1\",\"controlHost\":\"127.0.0.1\","
                + "\"controlPort\":" + FreePorts.udpAndTcp() + ",\"mediaAddress\":\"192.0.2.40\",\"weight\":2}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode relay = json(created);
        assertThat(relay.get("id").asLong()).isPositive();
        assertThat(relay.get("name").asText()).isEqualTo("crud-1");
        assertThat(relay.get("mediaAddress").asText()).isEqualTo("192.0.2.40");
        assertThat(relay.get("weight").asInt()).isEqualTo(2);
        assertThat(relay.get("enabled").asBoolean()).isTrue();
        assertThat(relay.get("draining").asBoolean()).isFalse();
        assertThat(relay.get("activeCalls").asInt()).isZero();
        assertThat(names(json(proxy.admin("GET", "/api/relays", null)))).contains("crud-1");

        var heavier = json(proxy.admin("PATCH", "/api/relays/crud-1", "{\"weight\":5}"));
        var draining = json(proxy.admin("PATCH", "/api/relays/crud-1", "{\"draining\":true}"));
        var disabled = json(proxy.admin("PATCH", "/api/relays/crud-1", "{\"enabled\":false}"));

        assertThat(heavier.get("weight").asInt()).isEqualTo(5);
        assertThat(draining.get("draining").asBoolean()).isTrue();
        assertThat(draining.get("weight").asInt()).as("absent fields stay").isEqualTo(5);
        assertThat(disabled.get("status").asText()).isEqualTo("disabled");
        assertThat(disabled.get("up").isNull()).as("not in this proxy's pool").isTrue();

        assertThat(proxy.admin("DELETE", "/api/relays/crud-1", null).statusCode()).isEqualTo(204);
        assertThat(proxy.admin("GET", "/api/relays/crud-1", null).statusCode()).isEqualTo(404);
        assertThat(names(json(proxy.admin("GET", "/api/relays", null)))).doesNotContain("crud-1");
    }

    @Test
    void showsARelayThatDoesNotAnswerAsDownWithTheReason() {
        proxy.admin("POST", "/api/relays", "{\"name\":\"silent\",\"controlHost\":\"127.0.0.1\",\"controlPort\":"
                + FreePorts.udpAndTcp() + "}");

        eventually(Duration.ofSeconds(10), () -> "down".equals(json(proxy.admin("GET", "/api/relays/silent", null))
                .get("status").asText()), "relay marked down");
        JsonNode silent = json(proxy.admin("GET", "/api/relays/silent", null));
        assertThat(silent.get("up").asBoolean()).isFalse();
        assertThat(silent.get("lastError").asText()).startsWith("ping: ").contains("did not answer");
        assertThat(silent.get("lastErrorAt").asText()).isNotEmpty();
        proxy.admin("DELETE", "/api/relays/silent", null);
    }

    /** What a relay announced in its pong (our relay with TLS and HTTP media bound) is what the API shows. */
    @Test
    void showsTheMediaTransportsEachRelayAnnounced() {
        int tls = FreePorts.udpAndTcp();
        int http = FreePorts.udpAndTcp();
        try (RelayProcess streams = RelayProcess.start(42500, 42549, "127.0.0.1",
                Map.of("pinhole.relay.tls-port", tls, "pinhole.relay.http-media-port", http))) {
            assertThat(proxy.admin("POST", "/api/relays", relayBody("streams", streams)).statusCode()).isEqualTo(201);
            proxy.admin("POST", "/api/relays", "{\"name\":\"off\",\"controlHost\":\"127.0.0.1\",\"controlPort\":"
                    + FreePorts.udpAndTcp() + ",\"enabled\":false}");

            eventually(Duration.ofSeconds(10), () -> json(proxy.admin("GET", "/api/relays/streams", null))
                    .get("mediaTransports").size() == 3, "the relay's pong read");
            assertThat(json(proxy.admin("GET", "/api/relays/streams", null)).get("mediaTransports").toString())
                    .isEqualTo("[\"udp\",\"tls\",\"http\"]");
            JsonNode listed = StreamSupport.stream(json(proxy.admin("GET", "/api/relays", null)).spliterator(), false)
                    .filter(r -> r.get("name").asText().equals("streams")).findFirst().orElseThrow();
            assertThat(listed.get("mediaTransports").toString()).isEqualTo("[\"udp\",\"tls\",\"http\"]");
            assertThat(json(proxy.admin("GET", "/api/relays/off", null)).get("mediaTransports").isNull())
                    .as("a relay outside the pool announced nothing to this proxy").isTrue();
        } finally {
            proxy.admin("DELETE", "/api/relays/streams", null);
            proxy.admin("DELETE", "/api/relays/off", null);
        }
    }

    @Test
    void refusesInvalidRelaysUnknownNamesDuplicatesAndMissingTokens() {
        Map<String, String> bodies = Map.of(
                "{\"name\":\"a b\",\"controlHost\":\"127.0.0.1\",\"controlPort\":2223}", "name: may contain letters",
                "{\"name\":\"x\",\"controlHost\":\"127.0.0.1\"}", "controlPort: must not be null",
                "{\"name\":\"x\",\"controlHost\":\"127.0.0.1\",\"controlPort\":70000}", "controlPort: must be less than or equal to 65535",
                "{\"name\":\"x\",\"controlHost\":\"bad host!\",\"controlPort\":2223}", "controlHost: must be a host name or an IP address",
                "{\"name\":\"x\",\"controlHost\":\"127.0.0.1\",\"controlPort\":2223,\"mediaAddress\":\"relay.example\"}",
                "mediaAddress: must be an IPv4 or IPv6 address",
                "{\"name\":\"x\",\"controlHost\":\"127.0.0.1\",\"controlPort\":2223,\"mediaAddress\":\"300.1.1.1\"}",
                "mediaAddress: must be an IPv4 or IPv6 address",
                "{\"name\":\"x\",\"controlHost\":\"127.0.0.1\",\"controlPort\":2223,\"weight\":-1}", "weight: must be greater than or equal to 0",
                "{\"name\":\"x\",", "request body is not valid JSON");
        bodies.forEach((body, message) -> {
            var answer = proxy.admin("POST", "/api/relays", body);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(answer.body()).as(body).contains(message);
        });
        assertThat(proxy.admin("GET", "/api/relays/x", null).statusCode()).isEqualTo(404);

        String v6 = "{\"name\":\"v6\",\"controlHost\":\"::1\",\"controlPort\":" + FreePorts.udpAndTcp()
                + ",\"mediaAddress\":\"2001:db8::40\",\"enabled\":false}";
        assertThat(proxy.admin("POST", "/api/relays", v6).statusCode()).isEqualTo(201);
        var duplicate = proxy.admin("POST", "/api/relays", v6);
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.body()).contains("relay v6 already exists");
        assertThat(json(proxy.admin("GET", "/api/relays/v6", null)).get("mediaAddress").asText()).isEqualTo("2001:db8::40");
        assertThat(proxy.admin("PATCH", "/api/relays/v6", "{\"weight\":-2}").body()).contains("weight: must be greater than or equal to 0");

        assertThat(proxy.admin("PATCH", "/api/relays/nope", "{\"weight\":2}").statusCode()).isEqualTo(404);
        assertThat(proxy.admin("DELETE", "/api/relays/nope", null).statusCode()).isEqualTo(404);
        assertThat(proxy.admin("GET", "/api/relays/nope", null).body()).isEqualTo("{\"status\":404,\"message\":\"relay nope not found\"}");
        for (String method : new String[]{"GET", "POST", "PATCH", "DELETE"}) {
            String path = method.equals("GET") || method.equals("POST") ? "/api/relays" : "/api/relays/v6";
            assertThat(proxy.adminWithToken(method, path, "{}", null).statusCode()).as(method).isEqualTo(401);
        }
        assertThat(proxy.admin("DELETE", "/api/relays/v6", null).statusCode()).isEqualTo(204);
    }

    @Test
    void drainedRelayGetsNoNewCallWhileItsCallCarriesOnAndEnds() {
        try (RelayProcess a = RelayProcess.start(42000, 42099); RelayProcess b = RelayProcess.start(42100, 42199);
             ProxyInstance calls = ProxyInstance.start(Map.of("pinhole.media.policy", "always",
                     "pinhole.media.default-relay", "127.0.0.1:" + FreePorts.udpAndTcp()))) {
            JdbcTemplate jdbc = calls.bean(JdbcTemplate.class);
            assertThat(calls.admin("POST", "/api/relays", relayBody("relay-a", a)).statusCode()).isEqualTo(201);
            calls.addUser(DOMAIN, "alice", PASSWORD);
            calls.addUser(DOMAIN, "bob", PASSWORD);
            calls.addUser(DOMAIN, "carol", PASSWORD);
            int bobPort = register(calls, "bob");
            int carolPort = register(calls, "carol");

            Sipp.Running bob = Sipp.scenario("call-uas.xml", calls.sipTarget()).localPort(bobPort).start();
            Sipp.Running first = caller(calls, "call-uac-held.xml", "bob").arg("-d", "8000").start();
            eventually(Duration.ofSeconds(10), () -> json(calls.admin("GET", "/api/calls?party=bob", null)).size() == 1
                    && "ANSWERED".equals(json(calls.admin("GET", "/api/calls?party=bob", null)).get(0).get("state").asText()),
                    "first call answered");
            JsonNode live = json(calls.admin("GET", "/api/calls?party=bob", null)).get(0);
            assertThat(live.get("relay").get("name").asText()).isEqualTo("relay-a");
            assertThat(json(calls.admin("GET", "/api/relays/relay-a", null)).get("activeCalls").asInt()).isEqualTo(1);

            assertThat(calls.admin("POST", "/api/relays", relayBody("relay-b", b)).statusCode()).isEqualTo(201);
            JsonNode drained = json(calls.admin("PATCH", "/api/relays/relay-a", "{\"draining\":true}"));
            assertThat(drained.get("status").asText()).isEqualTo("draining");
            assertThat(drained.get("activeCalls").asInt()).isEqualTo(1);
            assertThat(a.command(Map.of("command", "list")).get("calls")).isEqualTo(List.of(live.get("callId").asText()));

            Sipp.Running carol = Sipp.scenario("call-uas.xml", calls.sipTarget()).localPort(carolPort).start();
            Sipp.Result second = caller(calls, "call-uac.xml", "carol").run();
            assertThat(second.passed()).as(second.describe()).isTrue();
            assertThat(carol.await().passed()).isTrue();
            assertThat(json(calls.admin("GET", "/api/calls?party=bob", null))).as("first call still up").hasSize(1);

            Sipp.Result firstResult = first.await();
            assertThat(firstResult.passed()).as(firstResult.describe()).isTrue();
            assertThat(bob.await().passed()).isTrue();

            eventually(Duration.ofSeconds(5), () -> jdbc.queryForObject("SELECT count(*) FROM calls", Integer.class) == 2,
                    "both CDRs written");
            long idA = json(calls.admin("GET", "/api/relays/relay-a", null)).get("id").asLong();
            long idB = json(calls.admin("GET", "/api/relays/relay-b", null)).get("id").asLong();
            Map<String, Object> toBob = jdbc.queryForMap("SELECT * FROM calls WHERE callee LIKE 'bob@%'");
            Map<String, Object> toCarol = jdbc.queryForMap("SELECT * FROM calls WHERE callee LIKE 'carol@%'");
            assertThat(toCarol.get("relay_id")).as("the new call avoided the draining relay").isEqualTo(idB);
            assertThat(toBob.get("relay_id")).isEqualTo(idA);
            assertThat(toBob.get("outcome")).isEqualTo("answered");
            assertThat(toBob.get("packets")).as("the drained relay answered the call's final delete").isNotNull();
            assertThat(a.command(Map.of("command", "list")).get("calls")).isEqualTo(List.of());
            assertThat(json(calls.admin("GET", "/api/relays/relay-a", null)).get("activeCalls").asInt()).isZero();
        }
    }

    private static String relayBody(String name, RelayProcess relay) {
        String[] hostPort = relay.control().split(":");
        return "{\"name\":\"" + name + "\",\"controlHost\":\"" + hostPort[0] + "\",\"controlPort\":" + hostPort[1] + "}";
    }

    private static int register(ProxyInstance proxy, String user) {
        int port = FreePorts.udpAndTcp();
        Sipp.Result result = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(port).service(user)
                .credentials(user, PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(result.passed()).as(result.describe()).isTrue();
        return port;
    }

    private static Sipp caller(ProxyInstance proxy, String scenario, String callee) {
        return Sipp.scenario(scenario, proxy.sipTarget()).service("alice").credentials("alice", PASSWORD)
                .key("domain", DOMAIN).key("callee", callee).key("sdp_ip", "192.0.2.10");
    }

    private static List<String> names(JsonNode relays) {
        return StreamSupport.stream(relays.spliterator(), false).map(r -> r.get("name").asText()).toList();
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(response.body(), e);
        }
    }
}
