package io.pinhole.proxy.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinhole.proxy.support.DatabaseCut;
import io.pinhole.proxy.support.ProxyInstance;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the proxy's database refusing connections (and its open ones cut), every admin
 * resource kept in PostgreSQL answers 503 in JSON, the live calls (memory) still answer, and
 * all of it works again once the database is back.
 */
class AdminDatabaseDownIT {

    @Test
    void answers503WhileTheDatabaseIsDownAndRecovers() throws Exception {
        try (ProxyInstance proxy = ProxyInstance.start(Map.of("spring.datasource.hikari.connection-timeout", "1000"))) {
            proxy.addUser("down.example", "dora", "doras-password");
            long route = new ObjectMapper().readTree(proxy.admin("POST", "/api/routes",
                    "{\"matchDomain\":\"far.example\",\"targetUri\":\"sip:192.0.2.1\"}").body()).get("id").asLong();
            proxy.admin("POST", "/api/relays", "{\"name\":\"r1\",\"controlHost\":\"127.0.0.1\",\"controlPort\":9,"
                    + "\"enabled\":false}");
            List<String[]> requests = List.of(
                    new String[]{"GET", "/api/domains", null},
                    new String[]{"POST", "/api/domains", "{\"name\":\"new.example\"}"},
                    new String[]{"GET", "/api/domains/down.example/users", null},
                    new String[]{"PATCH", "/api/domains/down.example/users/dora", "{\"enabled\":false}"},
                    new String[]{"GET", "/api/routes", null},
                    new String[]{"POST", "/api/routes", "{\"matchDomain\":\"x.example\",\"targetUri\":\"sip:192.0.2.2\"}"},
                    new String[]{"GET", "/api/routes/" + route, null},
                    new String[]{"PATCH", "/api/routes/" + route, "{\"weight\":2}"},
                    new String[]{"DELETE", "/api/routes/" + route, null},
                    new String[]{"GET", "/api/relays", null},
                    new String[]{"POST", "/api/relays", "{\"name\":\"r2\",\"controlHost\":\"127.0.0.1\",\"controlPort\":9}"},
                    new String[]{"PATCH", "/api/relays/r1", "{\"weight\":2}"},
                    new String[]{"DELETE", "/api/relays/r1", null},
                    new String[]{"GET", "/api/cdrs", null});

            try (DatabaseCut outage = DatabaseCut.of(proxy)) {
                for (String[] r : requests) {
                    var answer = proxy.admin(r[0], r[1], r[2]);
                    assertThat(answer.statusCode()).as(r[0] + " " + r[1]).isEqualTo(503);
                    assertThat(answer.body()).as(r[0] + " " + r[1])
                            .isEqualTo("{\"status\":503,\"message\":\"database unavailable\"}");
                }
                HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + proxy.adminPort() + "/api/cdrs"))
                        .header("Authorization", "Bearer " + ProxyInstance.TOKEN).header("Accept", "text/csv").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(csv.statusCode()).isEqualTo(503);
                assertThat(csv.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(proxy.admin("GET", "/api/calls", null).statusCode()).as("live calls are in memory").isEqualTo(200);
            }

            eventually(Duration.ofSeconds(10), () -> proxy.admin("GET", "/api/routes", null).statusCode() == 200,
                    "routes readable again");
            assertThat(proxy.admin("PATCH", "/api/routes/" + route, "{\"weight\":2}").statusCode()).isEqualTo(200);
            assertThat(proxy.admin("GET", "/api/relays/r1", null).statusCode()).isEqualTo(200);
            assertThat(proxy.admin("GET", "/api/cdrs", null).statusCode()).isEqualTo(200);
        }
    }
}
