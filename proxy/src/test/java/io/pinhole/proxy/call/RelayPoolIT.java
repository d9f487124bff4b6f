package io.pinhole.proxy.call;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Map;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** Relays come from the {@code relays} table once it has rows; the CDR names the relay used. */
class RelayPoolIT {

    private static final String DOMAIN = "pool.example";
    private static final String PASSWORD = "correct-horse";

    @Test
    void callsUseTheRelayFromTheTable() {
        int nothingListens = FreePorts.udpAndTcp();
        try (RelayProcess relay = RelayProcess.start(42000, 42999);
             ProxyInstance proxy = ProxyInstance.start(Map.of(
                     "pinhole.media.default-relay", "127.0.0.1:" + nothingListens,
                     "pinhole.media.reload-interval", "200ms",
                     "pinhole.media.policy", "always"))) {
            JdbcTemplate jdbc = proxy.bean(JdbcTemplate.class);
            String[] hostPort = relay.control().split(":");
            long id = jdbc.queryForObject("INSERT INTO relays (name, control_host, control_port, weight) "
                    + "VALUES ('relay-a', ?, ?, 1) RETURNING id", Long.class, hostPort[0], Integer.parseInt(hostPort[1]));
            proxy.addUser(DOMAIN, "alice", PASSWORD);
            proxy.addUser(DOMAIN, "bob", PASSWORD);
            int port = FreePorts.udpAndTcp();
            assertThat(Sipp.scenario("register.xml", proxy.sipTarget()).localPort(port).service("bob")
                    .credentials("bob", PASSWORD).key("domain", DOMAIN).key("expires", 600).run().passed()).isTrue();
            sleep(600); // the pool re-reads the table every 200 ms

            Sipp.Running bob = Sipp.scenario("call-uas.xml", proxy.sipTarget()).localPort(port).start();
            Sipp.Result alice = Sipp.scenario("call-uac.xml", proxy.sipTarget()).service("alice")
                    .credentials("alice", PASSWORD).key("domain", DOMAIN).key("callee", "bob")
                    .key("sdp_ip", "192.0.2.10").run();

            assertThat(alice.passed()).as(alice.describe()).isTrue();
            assertThat(bob.await().passed()).isTrue();
            eventually(Duration.ofSeconds(5), () -> jdbc.queryForObject("SELECT count(*) FROM calls", Integer.class) == 1,
                    "CDR written");
            assertThat(jdbc.queryForObject("SELECT relay_id FROM calls", Long.class)).isEqualTo(id);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
