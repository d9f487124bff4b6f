package io.pinhole.proxy.registrar;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Map;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** Bindings over time: expiry and purge, and a proxy restart. */
class RegistrarLifecycleIT {

    private static final String DOMAIN = "b.example";
    private static final String PASSWORD = "correct-horse";

    @Test
    void expiredBindingIsGoneFromMemoryDatabaseAndQueries() {
        try (ProxyInstance proxy = ProxyInstance.start(Map.of(
                "pinhole.registrar.min-expires", 1,
                "pinhole.registrar.purge-interval", "300ms"))) {
            proxy.addUser(DOMAIN, "short1", PASSWORD);
            Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).service("short1")
                    .credentials("short1", PASSWORD).key("domain", DOMAIN).key("expires", 2).run();
            assertThat(registered.passed()).as(registered.describe()).isTrue();
            JdbcTemplate jdbc = proxy.bean(JdbcTemplate.class);
            eventually(Duration.ofSeconds(2), () -> count(jdbc) == 1, "binding written");

            eventually(Duration.ofSeconds(6), () -> count(jdbc) == 0, "expired binding purged from PostgreSQL");

            assertThat(proxy.admin("GET", "/api/registrations", null).body()).isEqualTo("[]");
            Sipp.Result query = Sipp.scenario("fetch-unbound.xml", proxy.sipTarget()).service("short1")
                    .credentials("short1", PASSWORD).key("domain", DOMAIN).run();
            assertThat(query.passed()).as(query.describe()).isTrue();
        }
    }

    @Test
    void restartedProxyStillServesTheBinding() {
        try (ProxyInstance proxy = ProxyInstance.start(Map.of())) {
            proxy.addUser(DOMAIN, "persist1", PASSWORD);
            Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).service("persist1")
                    .credentials("persist1", PASSWORD).key("domain", DOMAIN).key("expires", 3600).run();
            assertThat(registered.passed()).as(registered.describe()).isTrue();
            eventually(Duration.ofSeconds(5), () -> count(proxy.bean(JdbcTemplate.class)) == 1, "binding written");

            proxy.restart();

            assertThat(proxy.admin("GET", "/api/registrations", null).body())
                    .contains("\"aor\":\"persist1@b.example\"", "\"transport\":\"UDP\"");
            Sipp.Result query = Sipp.scenario("fetch-bound.xml", proxy.sipTarget()).service("persist1")
                    .credentials("persist1", PASSWORD).key("domain", DOMAIN).run();
            assertThat(query.passed()).as(query.describe()).isTrue();
        }
    }

    private static int count(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT count(*) FROM registrations", Integer.class);
    }
}
