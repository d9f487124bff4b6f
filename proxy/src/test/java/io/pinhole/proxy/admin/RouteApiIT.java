package io.pinhole.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinhole.proxy.auth.DigestAlgorithm;
import io.pinhole.proxy.routing.TrunkCredentials;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RedirectProcess;
import io.pinhole.proxy.support.TestDatabase;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.RawSip;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes through the admin API, against a real PostgreSQL, with the redirect server (its own
 * process on the same database) and a real call checking that they take effect.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProxyInstance proxy;
    private RedirectProcess redirect;
    private JdbcTemplate jdbc;

    @BeforeAll
    void start() {
        String database = TestDatabase.freshDatabaseUrl();
        int redirectPort = FreePorts.udpAndTcp();
        proxy = ProxyInstance.start(Map.of("spring.datasource.url", database, "pinhole.media.policy", "never",
                "pinhole.routing.redirect-servers", "127.0.0.1:" + redirectPort));
        redirect = RedirectProcess.start(database, redirectPort);
        jdbc = proxy.bean(JdbcTemplate.class);
    }

    @AfterAll
    void stop() {
        redirect.close();
        proxy.close();
    }

    @Test
    void createsShowsListsUpdatesAndDeletesARoute() throws IOException {
        var created = proxy.admin("POST", "/api/routes",
                "{\"matchDomain\":\"Crud.Example\",\"targetUri\":\"sip:192.0.2.20:5060\",\"expiresSeconds\":300}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode route = json(created);
        long id = route.get("id").asLong();
        assertThat(route.get("matchDomain").asText()).isEqualTo("crud.example");
        assertThat(route.get("kind").asText()).isEqualTo("proxy");
        assertThat(route.get("priority").asDouble()).isEqualTo(1.0);
        assertThat(route.get("weight").asInt()).isEqualTo(1);
        assertThat(route.get("enabled").asBoolean()).isTrue();
        assertThat(route.get("numberFormat").asText()).isEqualTo("as-received");
        assertThat(route.get("expiresSeconds").asInt()).isEqualTo(300);
        assertThat(route.get("auth").isNull()).isTrue();
        assertThat(json(proxy.admin("GET", "/api/routes/" + id, null))).isEqualTo(route);

        proxy.admin("POST", "/api/routes", "{\"matchDomain\":\"crud.example\",\"targetUri\":\"sip:192.0.2.21:5060\","
                + "\"priority\":0.5}");
        proxy.admin("POST", "/api/routes", "{\"matchPrefix\":\"+4412\",\"targetUri\":\"sip:192.0.2.30\",\"kind\":\"trunk\"}");
        JsonNode byDomain = json(proxy.admin("GET", "/api/routes?domain=CRUD.example", null));
        JsonNode firstPage = json(proxy.admin("GET", "/api/routes?domain=crud.example&limit=1", null));
        JsonNode secondPage = json(proxy.admin("GET", "/api/routes?domain=crud.example&limit=1&offset=1", null));
        JsonNode byPrefix = json(proxy.admin("GET", "/api/routes?prefix=%2B44", null));

        assertThat(byDomain.get("total").asLong()).isEqualTo(2);
        assertThat(byDomain.get("items")).hasSize(2);
        assertThat(firstPage.get("total").asLong()).isEqualTo(2);
        assertThat(firstPage.get("items")).hasSize(1);
        assertThat(firstPage.get("items").get(0).get("id").asLong()).isEqualTo(id);
        assertThat(secondPage.get("items").get(0).get("targetUri").asText()).isEqualTo("sip:192.0.2.21:5060");
        assertThat(byPrefix.get("items")).hasSize(1);
        assertThat(byPrefix.get("items").get(0).get("matchPrefix").asText()).isEqualTo("+4412");

        var patched = proxy.admin("PATCH", "/api/routes/" + id,
                "{\"priority\":0.25,\"expiresSeconds\":null,\"transport\":\"tcp\",\"enabled\":false}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        JsonNode changed = json(patched);
        assertThat(changed.get("priority").asDouble()).isEqualTo(0.25);
        assertThat(changed.get("expiresSeconds").isNull()).isTrue();
        assertThat(changed.get("transport").asText()).isEqualTo("tcp");
        assertThat(changed.get("enabled").asBoolean()).isFalse();
        assertThat(changed.get("targetUri").asText()).isEqualTo("sip:192.0.2.20:5060"); // untouched fields stay

        assertThat(proxy.admin("DELETE", "/api/routes/" + id, null).statusCode()).isEqualTo(204);
        assertThat(proxy.admin("GET", "/api/routes/" + id, null).statusCode()).isEqualTo(404);
        assertThat(json(proxy.admin("GET", "/api/routes?domain=crud.example", null)).get("total").asLong()).isEqualTo(1);
    }

    @Test
    void refusesInvalidRoutesNamingTheField() throws IOException {
        long before = routes();
        Map<String, String> bodies = Map.of(
                "{\"matchDomain\":\"v.example\"}", "targetUri: must not be blank",
                "{\"matchPrefix\":\"49x\",\"targetUri\":\"sip:192.0.2.1\"}", "matchPrefix: must be '+'? and 1 to 32 digits",
                "{\"matchUser\":\"bob\",\"matchPrefix\":\"49\",\"targetUri\":\"sip:192.0.2.1\"}", "matchPrefix: a route matches a user or a number prefix, not both",
                "{\"targetUri\":\"sip:192.0.2.1\"}", "matchDomain: a route matches a domain",
                "{\"matchDomain\":\"v.example\",\"targetUri\":\"http://x\"}", "targetUri: must be a sip: or sips: URI",
                "{\"matchDomain\":\"v.example\",\"targetUri\":\"sip:192.0.2.1\",\"priority\":1.5}", "priority: must be less than or equal to 1",
                "{\"matchDomain\":\"v.example\",\"targetUri\":\"sip:192.0.2.1\",\"auth\":{\"username\":\"u\",\"password\":\"p\",\"realm\":\"r\"}}",
                "auth: only trunk routes carry credentials",
                "{\"matchPrefix\":\"+49\",\"targetUri\":\"sip:192.0.2.1\",\"kind\":\"trunk\",\"auth\":{\"username\":\"u\",\"password\":\"p\"}}",
                "auth.realm: must not be blank",
                "{\"matchPrefix\":\"+49\",\"targetUri\":\"sip:192.0.2.1\",\"numberFormat\":\"national\"}", "numberFormat: national needs countryCode",
                "{\"matchDomain\":\"v.example\",\"targetUri\":", "request body is not valid JSON");
        bodies.forEach((body, message) -> {
            var answer = proxy.admin("POST", "/api/routes", body);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(answer.body()).as(body).contains("\"status\":400").contains(message);
        });

        long id = json(proxy.admin("POST", "/api/routes", "{\"matchDomain\":\"v.example\",\"targetUri\":\"sip:192.0.2.1\"}"))
                .get("id").asLong();
        Map<String, String> patches = Map.of(
                "{\"matchDomain\":null}", "matchDomain: a route matches a domain",
                "{\"weight\":\"heavy\"}", "weight: has the wrong type",
                "{\"wieght\":2}", "wieght: no such field",
                "[1]", "request body must be a JSON object",
                "{\"kind\":\"proxy\",\"auth\":{\"username\":\"u\",\"password\":\"p\",\"realm\":\"r\"}}", "auth: only trunk routes");
        patches.forEach((body, message) -> {
            var answer = proxy.admin("PATCH", "/api/routes/" + id, body);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(answer.body()).as(body).contains(message);
        });
        assertThat(json(proxy.admin("GET", "/api/routes/" + id, null)).get("matchDomain").asText()).isEqualTo("v.example");

        assertThat(proxy.admin("GET", "/api/routes/abc", null).body()).contains("id: must be a number");
        assertThat(proxy.admin("GET", "/api/routes?limit=0", null).statusCode()).isEqualTo(400);
        assertThat(proxy.admin("GET", "/api/routes?limit=1001", null).statusCode()).isEqualTo(400);
        assertThat(proxy.admin("GET", "/api/routes?offset=-1", null).statusCode()).isEqualTo(400);
        assertThat(proxy.admin("GET", "/api/routes?prefix=abc", null).statusCode()).isEqualTo(400);
        assertThat(routes()).isEqualTo(before + 1);
    }

    @Test
    void answersUnknownsConflictsAndMissingTokens() {
        String body = "{\"matchDomain\":\"dup.example\",\"targetUri\":\"sip:192.0.2.1\"}";
        assertThat(proxy.admin("POST", "/api/routes", body).statusCode()).isEqualTo(201);
        var duplicate = proxy.admin("POST", "/api/routes", body);
        long other = idOf(proxy.admin("POST", "/api/routes", "{\"matchDomain\":\"dup.example\",\"targetUri\":\"sip:192.0.2.2\"}"));
        var duplicateByPatch = proxy.admin("PATCH", "/api/routes/" + other, "{\"targetUri\":\"sip:192.0.2.1\"}");

        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.body()).contains("a route with this match and target already exists");
        assertThat(duplicateByPatch.statusCode()).isEqualTo(409);
        for (String method : new String[]{"GET", "DELETE"}) {
            var unknown = proxy.admin(method, "/api/routes/999999", null);
            assertThat(unknown.statusCode()).as(method).isEqualTo(404);
            assertThat(unknown.body()).as(method).isEqualTo("{\"status\":404,\"message\":\"route 999999 not found\"}");
        }
        assertThat(proxy.admin("PATCH", "/api/routes/999999", "{\"weight\":2}").statusCode()).isEqualTo(404);
        assertThat(proxy.adminWithToken("GET", "/api/routes", null, null).statusCode()).isEqualTo(401);
        assertThat(proxy.adminWithToken("POST", "/api/routes", body, "wrong-token-wrong-token").statusCode()).isEqualTo(401);
        assertThat(proxy.adminWithToken("PATCH", "/api/routes/" + other, "{}", null).statusCode()).isEqualTo(401);
        assertThat(proxy.adminWithToken("DELETE", "/api/routes/" + other, null, null).statusCode()).isEqualTo(401);
        assertThat(proxy.admin("GET", "/api/routes/" + other, null).statusCode()).isEqualTo(200);
    }

    @Test
    void storesTrunkPasswordsOnlyAsHa1AndNeverShowsThem() throws IOException {
        var created = proxy.admin("POST", "/api/routes", """
                {"matchPrefix":"+3312","targetUri":"sip:127.0.0.1:5999","kind":"trunk",
                 "auth":{"username":"acct","password":"s3cret-Trunk!","realm":"carrier.example"}}""");
        long id = idOf(created);
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM routes WHERE id = ?", id);
        TrunkCredentials trunks = proxy.bean(TrunkCredentials.class);

        assertThat(row.get("auth_ha1_md5")).isEqualTo(DigestAlgorithm.MD5.ha1("acct", "carrier.example", "s3cret-Trunk!"));
        assertThat(row.get("auth_ha1_sha256")).isEqualTo(DigestAlgorithm.SHA_256.ha1("acct", "carrier.example", "s3cret-Trunk!"));
        assertThat(row.values()).noneMatch(v -> String.valueOf(v).contains("s3cret"));
        assertThat(created.body()).doesNotContain("s3cret").doesNotContain("ha1").doesNotContain("password");
        assertThat(json(created).get("auth")).isEqualTo(JSON.readTree("{\"username\":\"acct\",\"realm\":\"carrier.example\"}"));
        assertThat(proxy.admin("GET", "/api/routes/" + id, null).body()).doesNotContain("s3cret").doesNotContain("ha1");
        assertThat(trunks.forTarget("127.0.0.1", 5999)).as("reloaded at once").hasValueSatisfying(c ->
                assertThat(c.ha1Md5()).isEqualTo(row.get("auth_ha1_md5")));

        proxy.admin("PATCH", "/api/routes/" + id, "{\"weight\":3}");
        assertThat(jdbc.queryForObject("SELECT auth_ha1_md5 FROM routes WHERE id = ?", String.class, id))
                .as("a patch without auth keeps the credentials").isEqualTo(row.get("auth_ha1_md5"));
        assertThat(proxy.admin("PATCH", "/api/routes/" + id, "{\"kind\":\"proxy\"}").body())
                .contains("auth: only trunk routes carry credentials (set auth to null to remove them)");

        proxy.admin("PATCH", "/api/routes/" + id, "{\"auth\":{\"username\":\"acct2\",\"password\":\"other\",\"realm\":\"c2\"}}");
        assertThat(jdbc.queryForObject("SELECT auth_ha1_md5 FROM routes WHERE id = ?", String.class, id))
                .isEqualTo(DigestAlgorithm.MD5.ha1("acct2", "c2", "other"));
        assertThat(trunks.forTarget("127.0.0.1", 5999)).hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("acct2"));

        var removed = proxy.admin("PATCH", "/api/routes/" + id, "{\"auth\":null,\"kind\":\"proxy\"}");
        assertThat(json(removed).get("auth").isNull()).isTrue();
        assertThat(jdbc.queryForMap("SELECT auth_username, auth_realm, auth_ha1_md5, auth_ha1_sha256 FROM routes WHERE id = ?", id)
                .values()).containsOnlyNulls();
        assertThat(trunks.forTarget("127.0.0.1", 5999)).isEmpty();
    }

    @Test
    void aTrunkRouteCreatedThroughTheApiCarriesARealCall() {
        int carrierPort = FreePorts.udpAndTcp();
        proxy.addUser("t.example", "alice", "correct-horse");
        var created = proxy.admin("POST", "/api/routes", """
                {"matchPrefix":"+49","targetUri":"sip:127.0.0.1:%d","kind":"trunk","intlPrefix":"00","numberFormat":"e164",
                 "auth":{"username":"pinhole","password":"trunk-secret","realm":"carrier.example"}}""".formatted(carrierPort));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Sipp.Running carrier = Sipp.scenario("carrier-uas.xml", proxy.sipTarget()).localPort(carrierPort)
                .key("trunk_user", "pinhole").key("trunk_password", "trunk-secret").start();

        Sipp.Result alice = Sipp.scenario("call-uac-interdomain.xml", proxy.sipTarget()).service("alice")
                .credentials("alice", "correct-horse").key("domain", "t.example").key("callee", "004930123456")
                .key("callee_domain", "t.example").key("sdp_ip", "192.0.2.10").run();
        Sipp.Result carrierResult = carrier.await();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(carrierResult.passed()).as(carrierResult.describe()).isTrue();
        assertThat(carrierResult.messages()).contains("INVITE sip:+4930123456@127.0.0.1:" + carrierPort)
                .contains("Authorization: Digest username=\"pinhole\"");
    }

    @Test
    void theRedirectServerFollowsChangesMadeThroughTheApi() {
        String domain = "r-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        try (RawSip client = new RawSip(redirect.port())) {
            assertThat(status(client, domain)).isEqualTo(404);

            long id = idOf(proxy.admin("POST", "/api/routes",
                    "{\"matchDomain\":\"" + domain + "\",\"targetUri\":\"sip:192.0.2.20:5060\"}"));
            eventually(Duration.ofSeconds(3), () -> contact(client, domain).contains("192.0.2.20:5060"), "new route served");

            proxy.admin("PATCH", "/api/routes/" + id, "{\"targetUri\":\"sip:192.0.2.21:5070\",\"permanent\":true}");
            eventually(Duration.ofSeconds(3), () -> contact(client, domain).contains("192.0.2.21:5070"), "changed route served");
            assertThat(status(client, domain)).isEqualTo(301);

            proxy.admin("DELETE", "/api/routes/" + id, null);
            eventually(Duration.ofSeconds(3), () -> status(client, domain) == 404, "deleted route gone");
        }
    }

    private long routes() {
        return jdbc.queryForObject("SELECT count(*) FROM routes", Long.class);
    }

    private static long idOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        try {
            return JSON.readTree(response.body()).get("id").asLong();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static Optional<String> options(RawSip client, String domain) {
        return client.request("OPTIONS sip:bob@" + domain + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + client.localPort() + ";branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                + "From: <sip:probe@test.invalid>;tag=1\r\nTo: <sip:bob@" + domain + ">\r\n"
                + "Call-ID: " + UUID.randomUUID() + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
    }

    private static int status(RawSip client, String domain) {
        return options(client, domain).map(RawSip::status).orElse(0);
    }

    private static String contact(RawSip client, String domain) {
        return options(client, domain).map(r -> String.valueOf(RawSip.header(r, "Contact"))).orElse("");
    }
}
