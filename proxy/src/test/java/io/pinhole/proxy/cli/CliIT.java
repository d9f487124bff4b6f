package io.pinhole.proxy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinhole.cli.Cli;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-line client ({@code ./pinhole user|route|relay|calls|status}) against a running
 * proxy over real HTTP: what it creates works for phones (SIPp registers with the password it
 * set), and every failure has its exit code and a sentence.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {

    private RelayProcess relay;
    private ProxyInstance proxy;

    @BeforeAll
    void start() {
        relay = RelayProcess.start(46000, 46099);
        proxy = ProxyInstance.start(Map.of("pinhole.media.default-relay", relay.control(),
                "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false));
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    private Run cli(String... args) {
        return cli(Map.of(), null, args);
    }

    private Run cli(Map<String, String> envOverrides, String typedPassword, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("PINHOLE_ADMIN_URL", "http://127.0.0.1:" + proxy.adminPort());
        env.put("PINHOLE_ADMIN_TOKEN", ProxyInstance.TOKEN);
        env.putAll(envOverrides);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(env, HttpClient.newHttpClient(), new ObjectMapper(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                question -> typedPassword).run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Sipp.Result register(String user, String domain, String password) {
        return Sipp.scenario("register.xml", proxy.sipTarget()).service(user).credentials(user, password)
                .key("domain", domain).key("expires", 300).run();
    }

    @Test
    void userAddCreatesTheDomainAndAUserThatCanRegister() {
        Run added = cli("user", "add", "carol@cli.example", "--password", "carol-secret-1");

        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).contains("created domain cli.example", "created user carol@cli.example");
        Sipp.Result registered = register("carol", "cli.example", "carol-secret-1");
        assertThat(registered.passed()).as(registered.describe()).isTrue();

        Run list = cli("user", "list", "--json");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("\"username\" : \"carol\"", "\"domain\" : \"cli.example\"");
    }

    @Test
    void aPasswordLeftOffIsAskedForAndTheExistingDomainKept() {
        assertThat(cli("user", "add", "erin@ask.example", "--password", "erin-secret-1").exitCode()).isZero();

        Run added = cli(Map.of(), "dave-secret-1", "user", "add", "dave@ask.example");

        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).contains("created user dave@ask.example").doesNotContain("created domain");
        Sipp.Result registered = register("dave", "ask.example", "dave-secret-1");
        assertThat(registered.passed()).as(registered.describe()).isTrue();
    }

    @Test
    void routesRelaysCallsAndStatus() {
        Run route = cli("route", "add", "--domain", "far.example", "--target", "sip:192.0.2.20:5060", "--expires",
                "300", "--json");
        assertThat(route.exitCode()).as(route.err()).isZero();
        assertThat(route.out()).contains("\"matchDomain\" : \"far.example\"", "\"expiresSeconds\" : 300");
        Run trunk = cli("route", "add", "--prefix", "+49", "--target", "sip:203.0.113.5:5060", "--kind", "trunk",
                "--country-code", "49", "--national-prefix", "0", "--auth-user", "pinhole", "--auth-realm",
                "carrier.example", "--auth-password", "trunk-secret");
        assertThat(trunk.exitCode()).as(trunk.err()).isZero();
        assertThat(cli("route", "list").out()).contains("*@far.example", "sip:192.0.2.20:5060", "+49*", "trunk");

        Run relayAdded = cli("relay", "add", "main", relay.control(), "--weight", "2");
        assertThat(relayAdded.exitCode()).as(relayAdded.err()).isZero();
        assertThat(relayAdded.out()).contains("created relay main at " + relay.control());
        assertThat(cli("relay", "list").out()).contains("main", relay.control());

        Run calls = cli("calls");
        assertThat(calls.exitCode()).isZero();
        assertThat(calls.out()).contains("CALL-ID", "0 calls");

        Run status = cli("status", "--json");
        assertThat(status.exitCode()).as(status.out() + status.err()).isZero();
        assertThat(status.out()).contains("\"health\" : \"UP\"", "\"name\" : \"main\"");
    }

    @Test
    void conferenceRoomsAreAddedListedAndRemoved() {
        assertThat(cli("user", "add", "host@conf-cli.example", "--password", "long-enough-1").exitCode()).isZero();
        Run added = cli("conference", "add", "sales@conf-cli.example", "--pin", "4711", "--max-parties", "5");
        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).contains("created room sip:sales@conf-cli.example (with PIN)");
        Run list = cli("conference", "list", "conf-cli.example");
        assertThat(list.out()).contains("sales@conf-cli.example", "yes", "5").doesNotContain("4711");
        assertThat(cli("conference", "list").out()).contains("sales@conf-cli.example");
        Run badPin = cli("conference", "add", "other@conf-cli.example", "--pin", "12ab");
        assertThat(badPin.exitCode()).isEqualTo(1);
        assertThat(badPin.err()).contains("pin");
        assertThat(cli("conference", "add", "no-domain-here").exitCode()).isEqualTo(2);
        assertThat(cli("conference", "remove", "sales@conf-cli.example").out()).contains("removed room sales@conf-cli.example");
        assertThat(cli("conference", "remove", "sales@conf-cli.example").exitCode()).isEqualTo(1);
    }

    @Test
    void aWrongTokenIsAClearErrorWithItsOwnExitCode() {
        Run run = cli(Map.of("PINHOLE_ADMIN_TOKEN", "not-the-token-at-all-0000"), null, "user", "list");

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).contains("refused the token from PINHOLE_ADMIN_TOKEN (HTTP 401)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void refusalsUnreachableProxiesAndBadCommandLinesHaveTheirExitCodes() {
        Run shortPassword = cli("user", "add", "frank@cli.example", "--password", "short");
        assertThat(shortPassword.exitCode()).isEqualTo(1);
        assertThat(shortPassword.err()).contains("password", "HTTP 400");

        Run duplicate = cli("relay", "add", "dup", "127.0.0.1:2999", "--disabled");
        assertThat(duplicate.exitCode()).isZero();
        Run again = cli("relay", "add", "dup", "127.0.0.1:2999", "--disabled");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("HTTP 409");

        Run unreachable = cli(Map.of("PINHOLE_ADMIN_URL", "http://127.0.0.1:" + FreePorts.udpAndTcp()), null,
                "user", "list");
        assertThat(unreachable.exitCode()).isEqualTo(3);
        assertThat(unreachable.err()).contains("cannot reach the admin API");

        Run usage = cli("user", "add", "no-domain-here", "--password", "whatever-1");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("USER@DOMAIN");
        Run unknown = cli("route", "add", "--target", "sip:x.example", "--colour", "red");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown option --colour");
    }
}
