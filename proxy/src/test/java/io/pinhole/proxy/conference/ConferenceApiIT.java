package io.pinhole.proxy.conference;

import io.pinhole.proxy.support.ProxyInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The room admin API over real HTTP against a real PostgreSQL (V11), and what the SIP side then sees. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConferenceApiIT {

    private ProxyInstance proxy;

    @BeforeAll
    void start() {
        proxy = ProxyInstance.start(Map.of());
        assertThat(proxy.admin("POST", "/api/domains", "{\"name\":\"conf.example\"}").statusCode()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @Test
    void createsListsShowsAndRemovesRoomsWithoutShowingThePin() {
        var created = proxy.admin("POST", "/api/domains/conf.example/conferences",
                "{\"name\":\"sales\",\"pin\":\"4711\",\"maxParties\":5}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"name\":\"sales\"", "\"hasPin\":true", "\"maxParties\":5",
                "\"uri\":\"sip:sales@conf.example\"").doesNotContain("4711");
        assertThat(proxy.bean(RoomDirectory.class).find("conf.example", "sales")).isPresent();

        var open = proxy.admin("POST", "/api/domains/conf.example/conferences", "{\"name\":\"open\"}");
        assertThat(open.body()).contains("\"hasPin\":false", "\"maxParties\":null");
        // each column read on its own (a PIN without cap and a cap without PIN were mixed up once)
        assertThat(proxy.admin("POST", "/api/domains/conf.example/conferences", "{\"name\":\"pinned\",\"pin\":\"1\"}")
                .body()).contains("\"hasPin\":true", "\"maxParties\":null");
        assertThat(proxy.admin("POST", "/api/domains/conf.example/conferences", "{\"name\":\"capped\",\"maxParties\":4}")
                .body()).contains("\"hasPin\":false", "\"maxParties\":4");

        var list = proxy.admin("GET", "/api/domains/conf.example/conferences", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"name\":\"open\"", "\"name\":\"sales\"").doesNotContain("4711");
        assertThat(proxy.admin("GET", "/api/domains/conf.example/conferences/sales", null).body())
                .contains("\"hasPin\":true").doesNotContain("4711");

        assertThat(proxy.admin("DELETE", "/api/domains/conf.example/conferences/open", null).statusCode()).isEqualTo(204);
        assertThat(proxy.admin("GET", "/api/domains/conf.example/conferences/open", null).statusCode()).isEqualTo(404);
        assertThat(proxy.admin("DELETE", "/api/domains/conf.example/conferences/open", null).statusCode()).isEqualTo(404);
        assertThat(proxy.bean(RoomDirectory.class).find("conf.example", "open")).isEmpty();
        assertThat(proxy.bean(org.springframework.jdbc.core.JdbcTemplate.class).queryForObject("SELECT pin FROM conferences WHERE name = 'sales'", String.class))
                .isEqualTo("4711");
    }

    @Test
    void refusesDuplicatesAndBadInputWithTheRightStatus() {
        assertThat(proxy.admin("POST", "/api/domains/conf.example/conferences", "{\"name\":\"dup\"}").statusCode())
                .isEqualTo(201);
        var duplicate = proxy.admin("POST", "/api/domains/conf.example/conferences", "{\"name\":\"dup\"}");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.body()).contains("conference dup@conf.example already exists");

        var badName = proxy.admin("POST", "/api/domains/conf.example/conferences", "{\"name\":\"a b\"}");
        var letters = proxy.admin("POST", "/api/domains/conf.example/conferences", "{\"name\":\"x\",\"pin\":\"12a4\"}");
        var tooLong = proxy.admin("POST", "/api/domains/conf.example/conferences",
                "{\"name\":\"x\",\"pin\":\"12345678901234567\"}");
        var empty = proxy.admin("POST", "/api/domains/conf.example/conferences", "{\"name\":\"x\",\"pin\":\"\"}");
        var one = proxy.admin("POST", "/api/domains/conf.example/conferences", "{\"name\":\"x\",\"maxParties\":1}");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("name");
        assertThat(letters.statusCode()).isEqualTo(400);
        assertThat(letters.body()).contains("pin: must be 1 to 16 digits");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(one.statusCode()).isEqualTo(400);
        assertThat(one.body()).contains("maxParties");
        assertThat(proxy.admin("GET", "/api/domains/conf.example/conferences/x", null).statusCode()).isEqualTo(404);
        assertThat(proxy.admin("GET", "/api/domains/nowhere.example/conferences", null).statusCode()).isEqualTo(404);
    }

    @Test
    void liveRoomsAnswerWithoutParties() {
        assertThat(proxy.admin("GET", "/api/conferences", null).body()).isEqualTo("[]");
        assertThat(proxy.admin("DELETE", "/api/conferences/none@conf.example", null).statusCode()).isEqualTo(404);
        assertThat(proxy.admin("POST", "/api/conferences/none@conf.example/parties/c1/mute", null).statusCode())
                .isEqualTo(404);
        assertThat(proxy.admin("DELETE", "/api/conferences/none@conf.example/parties/c1", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void v11KeepsEveryEarlierOutcomeAndAddsThePinRefusal() {
        var jdbc = proxy.bean(org.springframework.jdbc.core.JdbcTemplate.class);
        for (String outcome : java.util.List.of("answered", "rejected", "media-timeout", "admin-hangup",
                "conference-pin-refused")) {
            jdbc.update("INSERT INTO calls (call_id, caller, callee, started_at, ended_at, outcome, sip_status, conference)"
                    + " VALUES ('v11-' || ?, 'a@conf.example', 'r@conf.example', now(), now(), ?, 200,"
                    + " 'r@conf.example')", outcome, outcome);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.update("INSERT INTO calls (call_id, caller,"
                + " callee, started_at, outcome) VALUES ('x', 'a', 'b', now(), 'no-such-outcome')"))
                .isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
    }

    @Test
    void deletingTheDomainDeletesItsRooms() {
        proxy.admin("POST", "/api/domains", "{\"name\":\"gone.example\"}");
        proxy.admin("POST", "/api/domains/gone.example/conferences", "{\"name\":\"r\"}");
        assertThat(proxy.admin("DELETE", "/api/domains/gone.example", null).statusCode()).isEqualTo(204);
        assertThat(proxy.bean(org.springframework.jdbc.core.JdbcTemplate.class).queryForObject("SELECT count(*) FROM conferences c JOIN domains d ON d.id = c.domain_id"
                + " WHERE d.name = 'gone.example'", Integer.class)).isZero();
    }
}
