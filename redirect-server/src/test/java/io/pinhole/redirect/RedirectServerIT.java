package io.pinhole.redirect;

import io.pinhole.db.EmbeddedPostgresServer;
import io.pinhole.redirect.routing.CurrentRoutes;
import io.pinhole.redirect.routing.RouteReloader;
import io.pinhole.redirect.support.SippScenarios;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.RawSip;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The redirect server as a black box: a real PostgreSQL with the Flyway migrations, the SIP
 * listening points on a free loopback port, SIPp as the caller.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class RedirectServerIT {

    private static EmbeddedPostgresServer postgres;
    private static int sipPort;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CurrentRoutes currentRoutes;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        postgres = EmbeddedPostgresServer.startTemporary();
        String url = postgres.createDatabase("redirect_it");
        sipPort = FreePorts.udpAndTcp();
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("pinhole.redirect.sip.port", () -> sipPort);
        registry.add("pinhole.redirect.default-expires", () -> 300);
        registry.add("pinhole.redirect.reload.retry-delay", () -> "100ms");
    }

    /** Closes PostgreSQL after the context (and with it the route reloader) has stopped. */
    @TestConfiguration
    static class StopDatabaseLast {
        @Bean
        DisposableBean stopEmbeddedPostgres() {
            return () -> postgres.close();
        }
    }

    @BeforeEach
    void routes() throws Exception {
        if (jdbc.queryForObject("SELECT count(*) FROM routes", Integer.class) > 0) {
            return;
        }
        jdbc.update("""
                INSERT INTO routes (match_domain, target_uri, priority, weight, expires_seconds) VALUES
                  ('b.example', 'sip:proxy-b.example:5060', 1.0, 1, 120),
                  ('b.example', 'sip:proxy-b2.example', 0.5, 1, NULL)""");
        jdbc.update("INSERT INTO routes (match_user, match_domain, target_uri) VALUES ('bob', 'b.example', 'sip:bob@192.0.2.20:5062')");
        jdbc.update("INSERT INTO routes (match_domain, target_uri, permanent) VALUES ('old.example', 'sip:new.example', true)");
        jdbc.update("""
                INSERT INTO routes (match_prefix, target_uri, kind, transport, intl_prefix, national_prefix,
                                    country_code, number_format)
                VALUES ('+4930', 'sip:gw-berlin.example', 'trunk', 'tcp', '00', '0', '49', 'national')""");
        awaitRoutes(5);
    }

    @Test
    void redirectsInviteToEveryContactWithItsQ() throws Exception {
        Sipp.Result result = sipp(SippScenarios.inviteScenario("sip:alice@b.example", 302, List.of(
                SippScenarios.literal("<sip:alice@proxy-b.example:5060>;q=1;expires=120"),
                SippScenarios.literal("<sip:alice@proxy-b2.example>;q=0.5;expires=300"))), "udp");

        assertThat(result.passed()).as(result.describe()).isTrue();
        assertThat(result.messages()).contains("SIP/2.0 302 Moved Temporarily");
    }

    @Test
    void prefersTheExactUserRouteOverTheDomain() throws Exception {
        Sipp.Result result = sipp(SippScenarios.inviteScenario("sip:bob@b.example", 302, List.of(
                SippScenarios.literal("<sip:bob@192.0.2.20:5062>;q=1;expires=300"))), "udp");

        assertThat(result.passed()).as(result.describe()).isTrue();
        assertThat(result.messages()).doesNotContain("proxy-b.example");
    }

    @Test
    void redirectsNumbersByPrefixInTheTrunksFormat() throws Exception {
        Sipp.Result result = sipp(SippScenarios.inviteScenario("sip:00493012345@a.example;user=phone", 302, List.of(
                SippScenarios.literal("<sip:03012345@gw-berlin.example;transport=tcp>"))), "udp");

        assertThat(result.passed()).as(result.describe()).isTrue();
    }

    @Test
    void answersNotFoundWithoutRoute() throws Exception {
        Sipp.Result result = sipp(SippScenarios.inviteScenario("sip:carol@nowhere.example", 404, List.of()), "udp");

        assertThat(result.passed()).as(result.describe()).isTrue();
    }

    @Test
    void answersMovedPermanentlyForPermanentRoute() throws Exception {
        Sipp.Result result = sipp(SippScenarios.inviteScenario("sip:dave@old.example", 301, List.of(
                SippScenarios.literal("<sip:dave@new.example>"))), "udp");

        assertThat(result.passed()).as(result.describe()).isTrue();
    }

    @Test
    void answersOverTcp() throws Exception {
        Sipp.Result result = sipp(SippScenarios.inviteScenario("sip:alice@b.example", 302, List.of(
                SippScenarios.literal("<sip:alice@proxy-b.example:5060>;q=1"))), "tcp");

        assertThat(result.passed()).as(result.describe()).isTrue();
    }

    @Test
    void redirectsOptionsToo() throws Exception {
        Sipp.Result result = sipp(SippScenarios.requestScenario(request("OPTIONS", "sip:alice@b.example", "OPTIONS",
                "Max-Forwards: 70\n"), 302, List.of(SippScenarios.literal("<sip:alice@proxy-b.example:5060>"))), "udp");

        assertThat(result.passed()).as(result.describe()).isTrue();
    }

    @Test
    void answersOptionsForItselfWith200() throws Exception {
        Sipp.Result result = sipp(SippScenarios.requestScenario(request("OPTIONS", "sip:127.0.0.1:" + sipPort, "OPTIONS",
                "Max-Forwards: 70\n"), 200, List.of("Allow: *INVITE, *ACK, *CANCEL, *OPTIONS")), "udp");

        assertThat(result.passed()).as(result.describe()).isTrue();
    }

    @Test
    void servesARouteAddedInTheDatabaseWithinASecond() throws Exception {
        String domain = "new-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        try (RawSip client = new RawSip(sipPort)) {
            assertThat(statusOf(client, "sip:erin@" + domain)).isEqualTo(404);

            jdbc.update("INSERT INTO routes (match_domain, target_uri) VALUES (?, 'sip:proxy-new.example')", domain);
            long committed = System.nanoTime();
            int status = 0;
            while (status != 302 && System.nanoTime() - committed < Duration.ofSeconds(3).toNanos()) {
                status = statusOf(client, "sip:erin@" + domain);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - committed);

            assertThat(status).isEqualTo(302);
            assertThat(took).isLessThan(Duration.ofSeconds(1));
        }
        Sipp.Result result = sipp(SippScenarios.inviteScenario("sip:erin@" + domain, 302, List.of(
                SippScenarios.literal("<sip:erin@proxy-new.example>"))), "udp");
        assertThat(result.passed()).as(result.describe()).isTrue();
    }

    @Test
    void keepsServingAndCatchesUpWhenTheDatabaseConnectionDrops() throws Exception {
        String domain = "after-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        int terminated = jdbc.queryForObject("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE application_name = '" + RouteReloader.APPLICATION_NAME + "'", Integer.class);
        assertThat(terminated).isEqualTo(1);
        try (RawSip client = new RawSip(sipPort)) {
            assertThat(statusOf(client, "sip:alice@b.example")).isEqualTo(302); // last table still served

            jdbc.update("INSERT INTO routes (match_domain, target_uri) VALUES (?, 'sip:proxy-after.example')", domain);

            awaitStatus(client, "sip:x@" + domain, 302);
        }
    }

    @Test
    void stopsServingADisabledRoute() throws Exception {
        String domain = "gone-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        jdbc.update("INSERT INTO routes (match_domain, target_uri) VALUES (?, 'sip:proxy-gone.example')", domain);
        try (RawSip client = new RawSip(sipPort)) {
            awaitStatus(client, "sip:x@" + domain, 302);
            jdbc.update("UPDATE routes SET enabled = false WHERE match_domain = ?", domain);
            awaitStatus(client, "sip:x@" + domain, 404);
        }
    }

    @Test
    void rejectsMalformedRequestsWith400AndAReason() throws Exception {
        Sipp.Result noMaxForwards = sipp(SippScenarios.requestScenario(request("OPTIONS", "sip:alice@b.example", "OPTIONS",
                ""), 400, List.of(SippScenarios.literal("400 Missing Max-Forwards"))), "udp");
        Sipp.Result badUri = sipp(SippScenarios.requestScenario(request("OPTIONS", "sip:@@@", "OPTIONS",
                "Max-Forwards: 70\n"), 400, List.of("SIP/2[.]0 400 Bad Request [(][^)\r\n]*Missing host name[)]")), "udp");
        Sipp.Result badLength = sipp(SippScenarios.requestScenario(request("OPTIONS", "sip:alice@b.example", "OPTIONS",
                "Max-Forwards: 70\n").replace("Content-Length: 0", "Content-Length: abc"), 400,
                List.of("SIP/2[.]0 400 Bad Request [(]Content-Length")), "udp");

        assertThat(noMaxForwards.passed()).as(noMaxForwards.describe()).isTrue();
        assertThat(badUri.passed()).as(badUri.describe()).isTrue();
        assertThat(badLength.passed()).as(badLength.describe()).isTrue();
    }

    @Test
    void answersInDialogRequestsAndUnknownExtensionsWithoutRouting() throws Exception {
        Sipp.Result bye = sipp(SippScenarios.requestScenario(request("BYE", "sip:alice@b.example", "BYE",
                "Max-Forwards: 70\n").replace("To: <sip:alice@b.example>", "To: <sip:alice@b.example>;tag=abc"),
                481, List.of()), "udp");
        Sipp.Result require = sipp(SippScenarios.requestScenario(request("INVITE", "sip:alice@b.example", "INVITE",
                "Max-Forwards: 70\nRequire: 100rel\n"), 420, List.of(SippScenarios.literal("Unsupported: 100rel"))), "udp");

        assertThat(bye.passed()).as(bye.describe()).isTrue();
        assertThat(require.passed()).as(require.describe()).isTrue();
    }

    @Test
    void keepsAnsweringWhateverArrives() throws Exception {
        try (RawSip client = new RawSip(sipPort)) {
            client.send(new byte[0]);
            client.send(new byte[] {0, 1, 2, 3, (byte) 0xff, (byte) 0xfe});
            client.send("\r\n\r\n");
            client.send("INVITE\r\n\r\n");
            client.send("INVITE sip:alice@b.example SIP/2.0\r\nVia: SIP/2.0/UDP");
            client.send("INVITE sip:alice@b.example SIP/2.0\r\nContent-Length: 99999\r\n\r\n");
            client.send("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bKx\r\n\r\n");
            client.send(("OPTIONS sip:alice@b.example SIP/2.0\r\nX-Long: " + "a".repeat(60000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            client.send(request("INVITE", "sip:[::1", "INVITE", "Max-Forwards: 70\n").replace("\n", "\r\n"));
            client.send(request("INVITE", "sip:alice@b.example", "INVITE", "Max-Forwards: 70\n")
                    .replace("From: sipp", "From: \"unterminated <sip:x").replace("\n", "\r\n"));
            byte[] random = new byte[1200];
            new java.util.Random(7).nextBytes(random);
            client.send(random);
        }
        String tcpAnswer = RawSip.overTcp(sipPort, "GARBAGE \u0000\u0001\r\n\r\n".getBytes(StandardCharsets.UTF_8),
                Duration.ofMillis(500));
        assertThat(tcpAnswer).doesNotContain("302");

        Sipp.Result udp = sipp(SippScenarios.inviteScenario("sip:alice@b.example", 302, List.of()), "udp");
        Sipp.Result tcp = sipp(SippScenarios.inviteScenario("sip:alice@b.example", 302, List.of()), "tcp");
        assertThat(udp.passed()).as(udp.describe()).isTrue();
        assertThat(tcp.passed()).as(tcp.describe()).isTrue();
    }

    @Test
    void survivesMutatedRequests() throws Exception {
        java.util.Random random = new java.util.Random(20261121);
        try (RawSip client = new RawSip(sipPort)) {
            byte[] valid = rawRequest(client, "INVITE", "sip:alice@b.example", "z9hG4bK-fuzz")
                    .getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 3000; i++) {
                client.send(mutate(valid, random));
                if (i % 100 == 0) {
                    Thread.sleep(5); // let the socket buffer drain: this is about content, not load
                }
            }
            for (int i = 0; i < 100; i++) {
                RawSip.overTcp(sipPort, mutate(valid, random), Duration.ofMillis(20));
            }
        }
        try (RawSip fresh = new RawSip(sipPort)) { // not the socket the answers to the mutants go to
            awaitStatus(fresh, "sip:alice@b.example", 302);
        }
        Sipp.Result tcp = sipp(SippScenarios.inviteScenario("sip:alice@b.example", 302, List.of()), "tcp");
        assertThat(tcp.passed()).as(tcp.describe()).isTrue();
    }

    /** Flips, deletes, duplicates or truncates a few bytes of a valid request. */
    private static byte[] mutate(byte[] valid, java.util.Random random) {
        byte[] out = valid.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out[at] = (byte) " :;<>@\r\n\"\0,=/".charAt(random.nextInt(13));
                case 2 -> out = java.util.Arrays.copyOf(out, Math.max(1, at));
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = out[at];
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }

    @Test
    void absorbsTheAckOfItsAnswer() throws Exception {
        try (RawSip client = new RawSip(sipPort)) {
            String invite = rawRequest(client, "INVITE", "sip:alice@b.example", "z9hG4bK-ack-1");
            client.send(invite);
            String answer = client.receive(Duration.ofSeconds(2)).orElseThrow();
            assertThat(answer).startsWith("SIP/2.0 302");
            String toTag = answer.lines().filter(l -> l.startsWith("To:")).findFirst().orElseThrow();

            client.send(invite.replace("INVITE sip", "ACK sip").replace("CSeq: 1 INVITE", "CSeq: 1 ACK")
                    .replaceFirst("To: <sip:alice@b.example>", toTag.replace("\r", "")));

            assertThat(client.receive(Duration.ofMillis(300))).isEmpty();
        }
    }

    /** SIPp as the caller: the scenario sent to the server over {@code transport}, each answer awaited 4 s. */
    private static Sipp.Result sipp(String scenarioXml, String transport) {
        return Sipp.scenarioXml(scenarioXml, "127.0.0.1:" + sipPort)
                .arg("-t", "tcp".equals(transport) ? "t1" : "u1", "-recv_timeout", "4000", "-timeout", "15s")
                .run();
    }

    /** A request for SIPp with its keywords; {@code extra} adds headers (each ending in \n). */
    private static String request(String method, String uri, String cseqMethod, String extra) {
        return """
                %1$s %2$s SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
                To: <sip:alice@b.example>
                Call-ID: [call_id]
                CSeq: 1 %3$s
                %4$sContent-Length: 0
                """.formatted(method, uri, cseqMethod, extra).replace("\n\n", "\n");
    }

    private static String rawRequest(RawSip client, String method, String uri, String branch) {
        return method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + client.localPort() + ";branch=" + branch + "\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=probe\r\n"
                + "To: <" + uri + ">\r\n"
                + "Call-ID: " + UUID.randomUUID() + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static int statusOf(RawSip client, String uri) throws Exception {
        client.send(rawRequest(client, "OPTIONS", uri, "z9hG4bK-" + UUID.randomUUID()));
        Optional<String> answer = client.receive(Duration.ofMillis(200));
        return answer.map(a -> Integer.parseInt(a.substring(8, 11))).orElse(0);
    }

    private static void awaitStatus(RawSip client, String uri, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        int status = 0;
        while (status != expected && System.nanoTime() < deadline) {
            status = statusOf(client, uri);
        }
        assertThat(status).isEqualTo(expected);
    }

    private void awaitRoutes(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (currentRoutes.table().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(currentRoutes.table().size()).isGreaterThanOrEqualTo(count);
    }
}
