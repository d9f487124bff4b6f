package io.pinhole.proxy.registrar;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Map;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The registrar driven by the real SIPp, against a real PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrarSippIT {

    private static final String DOMAIN = "a.example";
    private static final String PASSWORD = "correct-horse";

    private ProxyInstance proxy;

    @BeforeAll
    void start() {
        proxy = ProxyInstance.start(Map.of());
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    private Sipp.Result sipp(String scenario, String user, String password, int expires, String... extra) {
        return Sipp.scenario(scenario, proxy.sipTarget()).service(user).credentials(user, password)
                .key("domain", DOMAIN).key("expires", expires).arg(extra).run();
    }

    private String registrations(String user) {
        var response = proxy.admin("GET", "/api/registrations?domain=" + DOMAIN + "&user=" + user, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private int rowsInDatabase(ProxyInstance instance, String user) {
        return instance.bean(JdbcTemplate.class).queryForObject("""
                SELECT count(*) FROM registrations r JOIN users u ON u.id = r.user_id WHERE u.username = ?""",
                Integer.class, user);
    }

    @Test
    void registersOverUdpAfterDigestChallengeAndRecordsTheFlow() {
        proxy.addUser(DOMAIN, "udp1", PASSWORD);

        Sipp.Result result = sipp("register.xml", "udp1", PASSWORD, 3600);

        assertThat(result.passed()).as(result.describe()).isTrue();
        assertThat(registrations("udp1"))
                .contains("\"aor\":\"udp1@a.example\"", "\"sourceAddress\":\"127.0.0.1\"", "\"transport\":\"UDP\"",
                        "\"userAgent\":\"SIPp\"");
        eventually(Duration.ofSeconds(5), () -> rowsInDatabase(proxy, "udp1") == 1, "binding written to PostgreSQL");
    }

    @Test
    void registersOverTcp() {
        proxy.addUser(DOMAIN, "tcp1", PASSWORD);

        Sipp.Result result = sipp("register.xml", "tcp1", PASSWORD, 3600, "-t", "t1");

        assertThat(result.passed()).as(result.describe()).isTrue();
        assertThat(registrations("tcp1")).contains("\"transport\":\"TCP\"");
    }

    @Test
    void reRegisteringRefreshesTheSameBinding() {
        proxy.addUser(DOMAIN, "refresh1", PASSWORD);

        Sipp.Result result = sipp("reregister.xml", "refresh1", PASSWORD, 600);

        assertThat(result.passed()).as(result.describe()).isTrue();
        assertThat(registrations("refresh1").split("\"aor\"", -1)).hasSize(2);
        eventually(Duration.ofSeconds(5), () -> rowsInDatabase(proxy, "refresh1") == 1, "one row after refresh");
    }

    @Test
    void unregisterRemovesTheBinding() {
        proxy.addUser(DOMAIN, "gone1", PASSWORD);
        assertThat(sipp("register.xml", "gone1", PASSWORD, 3600).passed()).isTrue();
        eventually(Duration.ofSeconds(5), () -> rowsInDatabase(proxy, "gone1") == 1, "binding written");

        // SIPp binds a new port per run, so the contact differs: remove all with Contact: * instead.
        Sipp.Result result = sipp("unregister-all.xml", "gone1", PASSWORD, 0);

        assertThat(result.passed()).as(result.describe()).isTrue();
        assertThat(registrations("gone1")).isEqualTo("[]");
        eventually(Duration.ofSeconds(5), () -> rowsInDatabase(proxy, "gone1") == 0, "binding deleted from PostgreSQL");
    }

    @Test
    void unregisterOfOwnContactLeavesNoBinding() {
        proxy.addUser(DOMAIN, "gone2", PASSWORD);

        Sipp.Result result = sipp("register-then-unregister.xml", "gone2", PASSWORD, 3600);

        assertThat(result.passed()).as(result.describe()).isTrue();
        assertThat(registrations("gone2")).isEqualTo("[]");
    }

    @Test
    void wrongPasswordIsChallengedAgainThenForbidden() {
        proxy.addUser(DOMAIN, "wrong1", PASSWORD);

        Sipp.Result result = sipp("register-wrong-password.xml", "wrong1", "not-the-password", 3600);

        assertThat(result.passed()).as(result.describe()).isTrue();
        assertThat(registrations("wrong1")).isEqualTo("[]");
    }

    @Test
    void unknownUserIsForbidden() {
        proxy.addUser(DOMAIN, "someone", PASSWORD);

        Sipp.Result result = sipp("register-forbidden.xml", "nobody", PASSWORD, 3600);

        assertThat(result.passed()).as(result.describe()).isTrue();
    }

    @Test
    void unknownDomainIsNotFound() {
        Sipp.Result result = Sipp.scenario("register-unknown-domain.xml", proxy.sipTarget()).service("x")
                .credentials("x", PASSWORD).key("domain", "elsewhere.example").key("expires", 3600).run();

        assertThat(result.passed()).as(result.describe()).isTrue();
    }

    @Test
    void tooBriefIntervalGets423WithMinExpires() {
        proxy.addUser(DOMAIN, "brief1", PASSWORD);

        Sipp.Result result = sipp("register-too-brief.xml", "brief1", PASSWORD, 5);

        assertThat(result.passed()).as(result.describe()).isTrue();
        assertThat(registrations("brief1")).isEqualTo("[]");
    }
}
