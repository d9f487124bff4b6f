package io.pinhole.proxy.admin;

import io.pinhole.proxy.auth.DigestAlgorithm;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin REST API over real HTTP, against a real PostgreSQL, with the SIP side watching. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiIT {

    private ProxyInstance proxy;

    @BeforeAll
    void start() {
        proxy = ProxyInstance.start(Map.of());
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @Test
    void refusesRequestsWithoutTheRightTokenButHealthIsOpen() {
        assertThat(proxy.adminWithToken("GET", "/api/domains", null, null).statusCode()).isEqualTo(401);
        assertThat(proxy.adminWithToken("GET", "/api/domains", null, "wrong-token-wrong-token").statusCode()).isEqualTo(401);
        assertThat(proxy.adminWithToken("GET", "/actuator/prometheus", null, null).statusCode()).isEqualTo(401);
        var health = proxy.adminWithToken("GET", "/actuator/health", null, null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void answersUnknownPathsMethodsAndContentTypesWithJsonErrors() {
        var unknownPath = proxy.admin("GET", "/api/nothing-here", null);
        var wrongMethod = proxy.admin("PUT", "/api/domains", "{}");

        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(unknownPath.body()).isEqualTo("{\"status\":404,\"message\":\"no such resource\"}");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.body()).isEqualTo("{\"status\":405,\"message\":\"PUT is not supported here\"}");
    }

    @Test
    void validatesInputBeforeTheDatabase() {
        var badName = proxy.admin("POST", "/api/domains", "{\"name\":\"Not A Domain!\"}");
        var notJson = proxy.admin("POST", "/api/domains", "{name:");
        proxy.admin("POST", "/api/domains", "{\"name\":\"v.example\"}");
        var shortPassword = proxy.admin("POST", "/api/domains/v.example/users", "{\"username\":\"u1\",\"password\":\"short\"}");
        var badUser = proxy.admin("POST", "/api/domains/v.example/users", "{\"username\":\"a b\",\"password\":\"long-enough\"}");

        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("\"message\":\"name: must be a lower-case host name");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(shortPassword.statusCode()).isEqualTo(400);
        assertThat(shortPassword.body()).contains("password");
        assertThat(badUser.statusCode()).isEqualTo(400);
        assertThat(proxy.admin("GET", "/api/domains/v.example/users", null).body()).isEqualTo("[]");
    }

    @Test
    void answersConflictsAndUnknownsWithTheRightStatus() {
        assertThat(proxy.admin("POST", "/api/domains", "{\"name\":\"c.example\"}").statusCode()).isEqualTo(201);
        assertThat(proxy.admin("POST", "/api/domains", "{\"name\":\"c.example\"}").statusCode()).isEqualTo(409);
        assertThat(proxy.admin("POST", "/api/domains/c.example/users", "{\"username\":\"bob\",\"password\":\"long-enough\"}").statusCode())
                .isEqualTo(201);
        assertThat(proxy.admin("POST", "/api/domains/c.example/users", "{\"username\":\"bob\",\"password\":\"long-enough\"}").statusCode())
                .isEqualTo(409);
        assertThat(proxy.admin("GET", "/api/domains/nowhere.example/users", null).statusCode()).isEqualTo(404);
        assertThat(proxy.admin("POST", "/api/domains/nowhere.example/users", "{\"username\":\"x\",\"password\":\"long-enough\"}").statusCode())
                .isEqualTo(404);
        assertThat(proxy.admin("DELETE", "/api/domains/c.example/users/nobody", null).statusCode()).isEqualTo(404);
    }

    @Test
    void storesOnlyDigestsNeverThePassword() {
        proxy.addUser("h.example", "carol", "carols-password");

        var row = proxy.bean(JdbcTemplate.class).queryForMap("SELECT * FROM users WHERE username = 'carol'");
        var shown = proxy.admin("GET", "/api/domains/h.example/users/carol", null).body();

        assertThat(row.get("ha1_md5")).isEqualTo(DigestAlgorithm.MD5.ha1("carol", "h.example", "carols-password"));
        assertThat(row.get("ha1_sha256")).isEqualTo(DigestAlgorithm.SHA_256.ha1("carol", "h.example", "carols-password"));
        assertThat(row.values()).noneMatch(v -> String.valueOf(v).contains("carols-password"));
        assertThat(shown).contains("\"username\":\"carol\"").doesNotContain("ha1").doesNotContain("password");
    }

    @Test
    void disablingAUserDropsItsBindingAndRefusesItsRegister() {
        proxy.addUser("x.example", "dave", "daves-password");
        assertThat(register("register.xml", "x.example", "dave", "daves-password").passed()).isTrue();
        assertThat(proxy.admin("GET", "/api/registrations?user=dave", null).body()).contains("dave@x.example");

        var disabled = proxy.admin("PATCH", "/api/domains/x.example/users/dave", "{\"enabled\":false}");

        assertThat(disabled.statusCode()).isEqualTo(200);
        assertThat(disabled.body()).contains("\"enabled\":false");
        assertThat(proxy.admin("GET", "/api/registrations?user=dave", null).body()).isEqualTo("[]");
        Sipp.Result refused = register("register-forbidden.xml", "x.example", "dave", "daves-password");
        assertThat(refused.passed()).as(refused.describe()).isTrue();
    }

    @Test
    void changedPasswordTakesEffectAndDeletedUserIsGone() {
        proxy.addUser("p.example", "erin", "old-password");
        proxy.admin("PATCH", "/api/domains/p.example/users/erin", "{\"password\":\"new-password\"}");

        Sipp.Result withNew = register("register.xml", "p.example", "erin", "new-password");
        assertThat(withNew.passed()).as(withNew.describe()).isTrue();

        assertThat(proxy.admin("DELETE", "/api/domains/p.example/users/erin", null).statusCode()).isEqualTo(204);
        assertThat(proxy.admin("GET", "/api/domains/p.example/users/erin", null).statusCode()).isEqualTo(404);
        assertThat(proxy.admin("GET", "/api/registrations?user=erin", null).body()).isEqualTo("[]");
        assertThat(proxy.bean(JdbcTemplate.class).queryForObject(
                "SELECT count(*) FROM registrations r JOIN users u ON u.id = r.user_id WHERE u.username = 'erin'",
                Integer.class)).isZero();
    }

    @Test
    void exposesRegistrarAndSipMetrics() {
        proxy.addUser("metrics.example", "frank", "franks-password");
        register("register.xml", "metrics.example", "frank", "franks-password");
        register("register-wrong-password.xml", "metrics.example", "frank", "not-his-password");

        var metrics = proxy.admin("GET", "/actuator/prometheus", null);

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("pinhole_registrations_active", "pinhole_auth_failures_total{reason=\"forbidden\"}",
                "pinhole_sip_requests_total{direction=\"in\",method=\"REGISTER\"}",
                "pinhole_sip_responses_total{direction=\"out\",status=\"2xx\"}");
    }

    private Sipp.Result register(String scenario, String domain, String user, String password) {
        return Sipp.scenario(scenario, proxy.sipTarget()).service(user).credentials(user, password)
                .key("domain", domain).key("expires", 600).run();
    }
}
