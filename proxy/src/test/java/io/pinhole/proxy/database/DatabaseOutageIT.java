package io.pinhole.proxy.database;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.support.DatabaseCut;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL away for 60 s (connections refused, open sessions cut) under a running proxy and
 * relay: phones re-register and known users register for the first time (authenticated from
 * memory), calls connect and end, and once the database is back every CDR and the latest state
 * of every binding changed meanwhile is in its table, counted exactly, with the queues at 0.
 * 60 s rather than a few: outlasting the connection timeout many times over and the writers'
 * longest back-off, as a real outage does.
 */
class DatabaseOutageIT {

    private static final String DOMAIN = "outage.example";
    private static final String PASSWORD = "outage-password";
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final int CALLS = 5;
    private static final Pattern CALL_ID = Pattern.compile("(?m)^\\s*Call-ID: *(\\S+)");

    @Test
    void signallingCarriesOnFromMemoryAndEveryQueuedWriteLandsWhenTheDatabaseReturns() throws Exception {
        ListAppender<ILoggingEvent> statusLog = new ListAppender<>();
        Logger statusLogger = (Logger) LoggerFactory.getLogger(DatabaseStatus.class);
        try (RelayProcess relay = RelayProcess.start(46000, 46499);
             ProxyInstance proxy = ProxyInstance.start(Map.of("pinhole.media.default-relay", relay.control(),
                     "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false))) {
            // after the start: Spring Boot sets logging up afresh then, dropping appenders added before
            statusLog.start();
            statusLogger.addAppender(statusLog);
            for (String user : List.of("alice", "bob", "carol", "dave")) {
                proxy.addUser(DOMAIN, user, PASSWORD);
            }
            int bobPort = FreePorts.udpAndTcp();
            int carolPort = FreePorts.udpAndTcp();
            register(proxy, "bob", bobPort, 600);
            register(proxy, "carol", carolPort, 600);
            JdbcTemplate jdbc = proxy.bean(JdbcTemplate.class);
            MeterRegistry meters = proxy.bean(MeterRegistry.class);
            eventually(Duration.ofSeconds(10), () -> gauge(meters, "pinhole.registrations.pending.writes") == 0
                    && jdbc.queryForObject("SELECT count(*) FROM registrations", Integer.class) == 2, "bindings written");

            List<String> callIds = new ArrayList<>();
            Instant outageStarted;
            try (DatabaseCut outage = DatabaseCut.of(proxy)) {
                outageStarted = Instant.now();

                // the directory is served from memory: refreshes, and first registrations of known users
                register(proxy, "carol", carolPort, 900);
                register(proxy, "dave", FreePorts.udpAndTcp(), 700);
                register(proxy, "bob", bobPort, 800);
                for (int i = 0; i < CALLS; i++) {
                    Sipp.Running bob = Sipp.scenario("call-uas.xml", proxy.sipTarget()).localPort(bobPort).start();
                    Sipp.Result alice = Sipp.scenario("call-uac.xml", proxy.sipTarget()).service("alice")
                            .credentials("alice", PASSWORD).key("domain", DOMAIN).key("callee", "bob")
                            .key("sdp_ip", "10.77.0.2").run();
                    Sipp.Result bobResult = bob.await();
                    assertThat(alice.passed()).as("call %d during the outage: %s", i, alice.describe()).isTrue();
                    assertThat(bobResult.passed()).as("call %d during the outage: %s", i, bobResult.describe()).isTrue();
                    callIds.add(callId(alice.messages()));
                }

                // what could not be written waits, and says so
                eventually(Duration.ofSeconds(10), () -> gauge(meters, "pinhole.cdr.pending.writes") == CALLS,
                        "all " + CALLS + " CDRs queued, was " + gauge(meters, "pinhole.cdr.pending.writes"));
                assertThat(gauge(meters, "pinhole.registrations.pending.writes")).as("binding changes queued")
                        .isGreaterThanOrEqualTo(3);
                eventually(Duration.ofSeconds(10), () -> gauge(meters, "pinhole.database.up") == 0, "database seen down");
                HttpResponse<String> health = proxy.admin("GET", "/actuator/health", null);
                assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
                assertThat(health.body()).contains("DOWN");
                HttpResponse<String> liveness = proxy.admin("GET", "/actuator/health/liveness", null);
                assertThat(liveness.statusCode()).as("still serving: not to be restarted " + liveness.body())
                        .isEqualTo(200);
                assertThat(proxy.admin("GET", "/api/domains", null).statusCode()).isEqualTo(503);

                Duration left = OUTAGE.minus(Duration.between(outageStarted, Instant.now()));
                assertThat(left).as("the outage's work fitted in " + OUTAGE).isPositive();
                Thread.sleep(left.toMillis());
                // a last refresh just before the end, after many failed writes
                register(proxy, "carol", carolPort, 1000);
            }
            Instant restored = Instant.now();

            eventually(Duration.ofSeconds(30), () -> cdrsOf(jdbc, callIds) == CALLS
                            && gauge(meters, "pinhole.cdr.pending.writes") == 0
                            && gauge(meters, "pinhole.registrations.pending.writes") == 0,
                    "every CDR written and both queues empty within 30 s of the database's return");
            Duration recovery = Duration.between(restored, Instant.now());
            System.out.println("DatabaseOutageIT: " + CALLS + " CDRs and the queued binding changes written "
                    + recovery.toMillis() + " ms after the database returned");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM calls", Integer.class))
                    .as("one CDR per call, none twice").isEqualTo(CALLS);
            assertThat(jdbc.queryForList("SELECT outcome FROM calls", String.class)).containsOnly("answered");

            // every binding as the registrar holds it: the latest expiry and CSeq of each
            Map<String, Binding> inMemory = new HashMap<>();
            for (Binding b : proxy.bean(BindingCache.class).all(Instant.now())) {
                inMemory.put(b.userId() + "|" + b.key(), b);
            }
            assertThat(inMemory).hasSize(3);
            List<Map<String, Object>> rows = jdbc.queryForList("SELECT user_id, binding_key, cseq, call_id, expires_at "
                    + "FROM registrations");
            assertThat(rows).hasSize(3);
            for (Map<String, Object> row : rows) {
                Binding b = inMemory.get(row.get("user_id") + "|" + row.get("binding_key"));
                assertThat(b).as("row %s is a binding in memory", row).isNotNull();
                assertThat(((Timestamp) row.get("expires_at")).toInstant().truncatedTo(ChronoUnit.MILLIS))
                        .as(b.aor()).isEqualTo(b.expiresAt().truncatedTo(ChronoUnit.MILLIS));
                assertThat(((Number) row.get("cseq")).longValue()).as(b.aor()).isEqualTo(b.cseq());
                assertThat(row.get("call_id")).as(b.aor()).isEqualTo(b.callId());
            }
            assertThat(inMemory.values()).filteredOn(b -> b.aor().startsWith("carol@"))
                    .singleElement().satisfies(b -> assertThat(b.expiresSeconds()).isEqualTo(1000));

            String metrics = proxy.admin("GET", "/actuator/prometheus", null).body();
            assertThat(metrics).contains("pinhole_cdr_pending_writes 0.0", "pinhole_registrations_pending_writes 0.0",
                    "pinhole_database_up 1.0", "pinhole_cdr_write_failures_total{reason=\"queue-full\"} 0.0",
                    "pinhole_cdr_write_failures_total{reason=\"rejected\"} 0.0",
                    "pinhole_cdr_write_failures_total{reason=\"shutdown\"} 0.0",
                    "pinhole_registrations_write_failures_total 0.0");
            assertThat(proxy.admin("GET", "/api/domains", null).statusCode()).isEqualTo(200);

            // one line when it went away, one when it came back: not one per failed statement
            assertThat(statusLog.list).filteredOn(e -> e.getLevel() == Level.WARN)
                    .singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).startsWith("database unavailable"));
            assertThat(statusLog.list).filteredOn(e -> e.getLevel() == Level.INFO)
                    .singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                            .startsWith("database available again after"));
        } finally {
            statusLogger.detachAppender(statusLog);
        }
    }

    private static void register(ProxyInstance proxy, String user, int port, int expires) {
        Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(port).service(user)
                .credentials(user, PASSWORD).key("domain", DOMAIN).key("expires", expires).run();
        assertThat(registered.passed()).as(user + " registers: " + registered.describe()).isTrue();
    }

    private static String callId(String trace) {
        Matcher m = CALL_ID.matcher(trace);
        assertThat(m.find()).as("a Call-ID in " + trace).isTrue();
        return m.group(1);
    }

    private static int cdrsOf(JdbcTemplate jdbc, List<String> callIds) {
        try {
            return jdbc.queryForObject("SELECT count(*) FROM calls WHERE call_id = ANY (?)", Integer.class,
                    (Object) callIds.toArray(String[]::new));
        } catch (RuntimeException e) {
            return -1; // the pool may still be reconnecting
        }
    }

    private static double gauge(MeterRegistry meters, String name) {
        return meters.get(name).gauge().value();
    }
}
