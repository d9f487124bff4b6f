package io.pinhole.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live calls through the admin API with real SIPp phones and a real relay: listed with their
 * legs, hung up by the admin (BYE to both phones), then found among the CDRs, as JSON and as
 * CSV read back by an independent CSV parser.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOMAIN = "live.example";
    private static final String PASSWORD = "correct-horse";

    private RelayProcess relay;
    private ProxyInstance proxy;
    private int bobPort;

    @BeforeAll
    void start() {
        relay = RelayProcess.start(42200, 42299);
        proxy = ProxyInstance.start(Map.of("pinhole.media.default-relay", relay.control()));
        proxy.addUser(DOMAIN, "alice", PASSWORD);
        proxy.addUser(DOMAIN, "bob", PASSWORD);
        bobPort = FreePorts.udpAndTcp();
        Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(bobPort).service("bob")
                .credentials("bob", PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(registered.passed()).as(registered.describe()).isTrue();
    }

    @AfterAll
    void stop() {
        proxy.close();
        relay.close();
    }

    @Test
    void adminHangsUpALiveCallWithByeToBothPhonesAndTheCdrSaysSo() throws IOException {
        Sipp.Running bob = Sipp.scenario("call-uas.xml", proxy.sipTarget()).localPort(bobPort).start();
        Sipp.Running alice = caller("call-uac-wait-bye.xml").start();
        JsonNode call = awaitCall("ANSWERED");
        String callId = call.get("callId").asText();

        assertThat(call.get("caller").asText()).isEqualTo("alice@" + DOMAIN);
        assertThat(call.get("callee").asText()).isEqualTo("bob@" + DOMAIN);
        assertThat(Instant.parse(call.get("startedAt").asText())).isBefore(Instant.parse(call.get("answeredAt").asText()));
        assertThat(call.get("mediaPath").asText()).isEqualTo("RELAY_UDP");
        assertThat(call.get("relay").get("name").asText()).isEqualTo("default");
        JsonNode callerLeg = call.get("callerLeg");
        assertThat(callerLeg.get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(callerLeg.get("transport").asText()).isEqualTo("UDP");
        assertThat(callerLeg.get("behindNat").asBoolean()).isTrue();
        assertThat(callerLeg.get("natReasons").get(0).asText()).contains("SDP address 192.0.2.10");
        assertThat(call.get("calleeLeg").get("port").asInt()).isEqualTo(bobPort);
        assertThat(call.get("calleeLeg").get("behindNat").asBoolean()).isFalse();
        assertThat(json(proxy.admin("GET", "/api/calls/" + encode(callId), null))).isEqualTo(call);

        var hangUp = proxy.admin("DELETE", "/api/calls/" + encode(callId), null);

        assertThat(hangUp.statusCode()).as(hangUp.body()).isEqualTo(204);
        Sipp.Result aliceResult = alice.await();
        Sipp.Result bobResult = bob.await();
        assertThat(aliceResult.passed()).as("the caller got a BYE and answered it\n" + aliceResult.describe()).isTrue();
        assertThat(bobResult.passed()).as("the callee got a BYE and answered it\n" + bobResult.describe()).isTrue();
        assertThat(proxy.admin("GET", "/api/calls", null).body()).isEqualTo("[]");
        assertThat(proxy.admin("GET", "/api/calls/" + encode(callId), null).statusCode()).isEqualTo(404);
        assertThat(proxy.admin("DELETE", "/api/calls/" + encode(callId), null).statusCode()).isEqualTo(404);
        assertThat(relay.command(Map.of("command", "list")).get("calls")).as("relay ports freed").isEqualTo(List.of());

        eventually(Duration.ofSeconds(5), () -> json(proxy.admin("GET", "/api/cdrs?callId=" + encode(callId), null))
                .get("total").asLong() == 1, "CDR written");
        JsonNode cdr = json(proxy.admin("GET", "/api/cdrs?callId=" + encode(callId), null)).get("items").get(0);
        assertThat(cdr.get("outcome").asText()).isEqualTo("admin-hangup");
        assertThat(cdr.get("caller").asText()).isEqualTo("alice@" + DOMAIN);
        assertThat(cdr.get("mediaPath").asText()).isEqualTo("RELAY_UDP");
        assertThat(cdr.get("callerBehindNat").asBoolean()).isTrue();
        assertThat(cdr.get("calleeBehindNat").asBoolean()).isFalse();
        assertThat(cdr.get("packets").isNull()).as("counts from the relay's delete").isFalse();

        Instant started = Instant.parse(cdr.get("startedAt").asText());
        for (String query : List.of("party=BOB%40live", "outcome=admin-hangup", "mediaPath=relay_udp",
                "from=" + started.minusSeconds(1) + "&to=" + started.plusSeconds(60))) {
            assertThat(ids(json(proxy.admin("GET", "/api/cdrs?" + query, null)))).as(query).contains(cdr.get("id").asLong());
        }
        assertThat(ids(json(proxy.admin("GET", "/api/cdrs?to=" + started, null)))).doesNotContain(cdr.get("id").asLong());
        assertThat(ids(json(proxy.admin("GET", "/api/cdrs?party=carol", null)))).doesNotContain(cdr.get("id").asLong());

        HttpResponse<String> csv = get("/api/cdrs?callId=" + encode(callId), "text/csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.headers().firstValue("X-Total-Count")).hasValue("1");
        List<Map<String, String>> rows = parseCsv(csv.body());
        assertThat(rows).hasSize(1);
        cdr.fields().forEachRemaining(field -> assertThat(rows.get(0).get(field.getKey())).as(field.getKey())
                .isEqualTo(field.getValue().isNull() ? "" : field.getKey().endsWith("At")
                        ? Instant.parse(field.getValue().asText()).toString() : field.getValue().asText()));
        assertThat(get("/api/cdrs?format=csv&callId=" + encode(callId), "*/*").body()).isEqualTo(csv.body());
    }

    @Test
    void aRingingCallIsNotHungUpAndCarriesOn() throws IOException {
        Sipp.Running bob = Sipp.scenario("call-uas-ring-long.xml", proxy.sipTarget()).localPort(bobPort)
                .arg("-d", "3000").start();
        Sipp.Running alice = caller("call-uac.xml").start();
        String callId = awaitCall("EARLY").get("callId").asText();

        var refused = proxy.admin("DELETE", "/api/calls/" + encode(callId), null);

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(json(refused).get("message").asText()).contains("is not answered yet");
        Sipp.Result aliceResult = alice.await();
        assertThat(aliceResult.passed()).as(aliceResult.describe()).isTrue();
        assertThat(bob.await().passed()).isTrue();
        eventually(Duration.ofSeconds(5), () -> json(proxy.admin("GET", "/api/cdrs?callId=" + encode(callId), null))
                .get("total").asLong() == 1, "CDR written");
        assertThat(json(proxy.admin("GET", "/api/cdrs?callId=" + encode(callId), null)).get("items").get(0)
                .get("outcome").asText()).isEqualTo("answered");
    }

    @Test
    void answersUnknownCallsAndMissingTokens() {
        var unknown = proxy.admin("GET", "/api/calls/no-such-call%40example", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"status\":404,\"message\":\"call no-such-call@example not found\"}");
        assertThat(proxy.admin("DELETE", "/api/calls/no-such-call", null).statusCode()).isEqualTo(404);
        assertThat(proxy.adminWithToken("GET", "/api/calls", null, null).statusCode()).isEqualTo(401);
        assertThat(proxy.adminWithToken("GET", "/api/calls/x", null, null).statusCode()).isEqualTo(401);
        assertThat(proxy.adminWithToken("DELETE", "/api/calls/x", null, "wrong-token-wrong-token").statusCode()).isEqualTo(401);
    }

    private JsonNode awaitCall(String state) {
        eventually(Duration.ofSeconds(15), () -> {
            JsonNode calls = json(proxy.admin("GET", "/api/calls?party=bob", null));
            return calls.size() == 1 && state.equals(calls.get(0).get("state").asText());
        }, "a call in state " + state);
        return json(proxy.admin("GET", "/api/calls?party=bob", null)).get(0);
    }

    private Sipp caller(String scenario) {
        return Sipp.scenario(scenario, proxy.sipTarget()).service("alice").credentials("alice", PASSWORD)
                .key("domain", DOMAIN).key("callee", "bob").key("sdp_ip", "192.0.2.10");
    }

    private HttpResponse<String> get(String path, String accept) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + proxy.adminPort() + path))
                    .header("Authorization", "Bearer " + ProxyInstance.TOKEN).header("Accept", accept).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<Map<String, String>> parseCsv(String body) throws IOException {
        try (MappingIterator<Map<String, String>> rows = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(body)) {
            return rows.readAll();
        }
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        for (Iterator<JsonNode> items = page.get("items").elements(); items.hasNext(); ) {
            ids.add(items.next().get("id").asLong());
        }
        return ids;
    }

    private static String encode(String callId) {
        return URLEncoder.encode(callId, StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(response.body(), e);
        }
    }
}
