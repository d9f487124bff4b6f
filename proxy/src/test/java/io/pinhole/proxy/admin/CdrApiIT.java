package io.pinhole.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinhole.proxy.support.ProxyInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CDR search over rows written straight into {@code calls} (awkward characters included), as
 * JSON pages and as CSV read back with an independent parser.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdrApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private ProxyInstance proxy;

    @BeforeAll
    void start() {
        proxy = ProxyInstance.start(Map.of());
        JdbcTemplate jdbc = proxy.bean(JdbcTemplate.class);
        long relay = jdbc.queryForObject("INSERT INTO relays (name, control_host, control_port, enabled) "
                + "VALUES ('cdr-relay', '127.0.0.1', 9, false) RETURNING id", Long.class);
        insert(jdbc, "c-1", "alice@a.example", "bob@b.example", 0, "answered", 200, "DIRECT", null, 0L);
        insert(jdbc, "c-2", "\"Smith, John\" <sip:john@a.example>", "bob@b.example", 60, "busy", 486, "DIRECT", null, null);
        insert(jdbc, "c-3", "line\r\nbreak@a.example", "Zoë@b.example", 120, "answered", 200, "RELAY_UDP", relay, 1234L);
        insert(jdbc, "c-4", "100%_off@a.example", "carol@c.example", 180, "no-answer", 480, "DIRECT", null, null);
        insert(jdbc, "c-5", " padded@a.example ", "carol@c.example", 240, "admin-hangup", 200, "RELAY_UDP", relay, 99L);
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @Test
    void pagesNewestFirstWithATotal() {
        JsonNode first = page("/api/cdrs?limit=2");
        JsonNode last = page("/api/cdrs?limit=2&offset=4");
        JsonNode all = page("/api/cdrs");

        assertThat(first.get("total").asLong()).isEqualTo(5);
        assertThat(first.get("limit").asInt()).isEqualTo(2);
        assertThat(callIds(first)).containsExactly("c-5", "c-4");
        assertThat(callIds(last)).containsExactly("c-1");
        assertThat(last.get("offset").asInt()).isEqualTo(4);
        assertThat(all.get("limit").asInt()).isEqualTo(100);
        assertThat(callIds(all)).containsExactly("c-5", "c-4", "c-3", "c-2", "c-1");
        JsonNode relayed = all.get("items").get(2);
        assertThat(relayed.get("relayName").asText()).isEqualTo("cdr-relay");
        assertThat(relayed.get("packets").asLong()).isEqualTo(1234);
        assertThat(relayed.get("startedAt").asText()).isEqualTo("2026-03-01T10:02:00Z");
    }

    @Test
    void filtersByPartyTimeOutcomeAndMediaPath() {
        assertThat(callIds(page("/api/cdrs?party=BOB"))).containsExactly("c-2", "c-1");
        assertThat(callIds(page("/api/cdrs?party=smith,%20john"))).containsExactly("c-2");
        assertThat(callIds(page("/api/cdrs?party=%25_"))).as("% and _ are literal").containsExactly("c-4");
        assertThat(callIds(page("/api/cdrs?party=zo%C3%AB"))).containsExactly("c-3");
        assertThat(callIds(page("/api/cdrs?from=2026-03-01T10:01:00Z&to=2026-03-01T10:03:00Z"))).containsExactly("c-3", "c-2");
        assertThat(callIds(page("/api/cdrs?to=2026-03-01T10:01:00Z"))).as("to is exclusive").containsExactly("c-1");
        assertThat(callIds(page("/api/cdrs?outcome=answered"))).containsExactly("c-3", "c-1");
        assertThat(callIds(page("/api/cdrs?mediaPath=relay_udp&party=carol"))).containsExactly("c-5");
        assertThat(callIds(page("/api/cdrs?callId=c-4"))).containsExactly("c-4");
        assertThat(page("/api/cdrs?party=nobody").get("total").asLong()).isZero();
    }

    @Test
    void exportsCsvThatParsesBackToTheSameRecords() throws IOException {
        HttpResponse<String> csv = get("/api/cdrs", "text/csv");
        List<Map<String, String>> rows = CallApiIT.parseCsv(csv.body());
        JsonNode json = page("/api/cdrs");

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv;charset=UTF-8");
        assertThat(csv.headers().firstValue("X-Total-Count")).hasValue("5");
        assertThat(csv.body()).startsWith("id,callId,caller,callee,startedAt,answeredAt,endedAt,outcome,sipStatus,"
                + "mediaPath,callerBehindNat,calleeBehindNat,relayId,relayName,packets,bytes\r\n");
        assertThat(rows).hasSize(5);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode record = json.get("items").get(i);
            Map<String, String> row = rows.get(i);
            assertThat(row.keySet()).containsExactlyElementsOf(iterable(record.fieldNames()));
            record.fields().forEachRemaining(f -> assertThat(row.get(f.getKey())).as(f.getKey())
                    .isEqualTo(f.getValue().isNull() ? "" : f.getValue().asText()));
        }
        assertThat(rows.get(2).get("caller")).isEqualTo("line\r\nbreak@a.example");
        assertThat(rows.get(3).get("caller")).isEqualTo("\"Smith, John\" <sip:john@a.example>");
        assertThat(rows.get(0).get("caller")).isEqualTo(" padded@a.example ");
        assertThat(rows.get(2).get("callee")).isEqualTo("Zoë@b.example");
    }

    @Test
    void exportsTheSameSearchAsCsvByParameterWithItsFilterAndLimit() throws IOException {
        HttpResponse<String> byParameter = get("/api/cdrs?format=csv&party=a.example&limit=2", "*/*");
        HttpResponse<String> byAccept = get("/api/cdrs?party=a.example&limit=2", "text/csv");

        assertThat(byParameter.headers().firstValue("Content-Type")).hasValue("text/csv;charset=UTF-8");
        assertThat(byParameter.body()).isEqualTo(byAccept.body());
        assertThat(CallApiIT.parseCsv(byParameter.body())).extracting(r -> r.get("callId")).containsExactly("c-5", "c-4");
        assertThat(byParameter.headers().firstValue("X-Total-Count")).hasValue("5");
        assertThat(get("/api/cdrs?format=json&limit=1", "*/*").body()).startsWith("{\"total\":5");
    }

    @Test
    void refusesBadSearchesWithJsonErrorsAlsoWhenCsvWasAsked() {
        Map<String, String> bad = Map.of(
                "limit=0", "limit: must be between 1 and 1000",
                "limit=1001", "limit: must be between 1 and 1000",
                "offset=-1", "offset: must be 0 or more",
                "limit=x", "limit: must be a number",
                "from=yesterday", "from: must be an ISO-8601 instant",
                "from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "to: must be after from",
                "outcome=BAD!", "outcome: must be an outcome",
                "mediaPath=relay%20udp", "mediaPath: must be a media path",
                "party=" + "x".repeat(257), "party: must be 1 to 256 characters");
        bad.forEach((query, message) -> {
            var answer = proxy.admin("GET", "/api/cdrs?" + query, null);
            assertThat(answer.statusCode()).as(query).isEqualTo(400);
            assertThat(answer.body()).as(query).contains(message);
            if (query.equals("limit=1001")) {
                return; // a CSV export may be longer than a page
            }
            var csv = get("/api/cdrs?" + query, "text/csv");
            assertThat(csv.statusCode()).as(query).isEqualTo(400);
            assertThat(csv.headers().firstValue("Content-Type")).as(query).hasValue("application/json");
            assertThat(csv.body()).as(query).contains(message);
        });
        assertThat(get("/api/cdrs?limit=1000001", "text/csv").body()).contains("limit: must be between 1 and 1000000");
        var xml = get("/api/cdrs", "application/xml");
        assertThat(xml.statusCode()).isEqualTo(406);
        assertThat(xml.body()).contains("\"status\":406");
        assertThat(proxy.adminWithToken("GET", "/api/cdrs", null, null).statusCode()).isEqualTo(401);
        assertThat(proxy.adminWithToken("GET", "/api/cdrs?format=csv", null, "wrong-token-wrong-token").statusCode()).isEqualTo(401);
    }

    private static void insert(JdbcTemplate jdbc, String callId, String caller, String callee, int startSecond,
                               String outcome, int status, String mediaPath, Long relay, Long packets) {
        Instant started = T0.plusSeconds(startSecond);
        jdbc.update("""
                        INSERT INTO calls (call_id, caller, callee, started_at, answered_at, ended_at, outcome, sip_status,
                                           media_path, caller_behind_nat, callee_behind_nat, relay_id, packets, bytes)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, true, NULL, ?, ?, ?)""",
                callId, caller, callee, Timestamp.from(started),
                status == 200 ? Timestamp.from(started.plusSeconds(2)) : null, Timestamp.from(started.plusSeconds(30)),
                outcome, status, mediaPath, relay, packets, packets == null ? null : packets * 172);
    }

    private JsonNode page(String path) {
        var response = proxy.admin("GET", path, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> callIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("callId").asText()));
        return ids;
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
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
}
