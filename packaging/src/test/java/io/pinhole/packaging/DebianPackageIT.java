package io.pinhole.packaging;

import io.pinhole.db.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Debian package as an operator installs it: {@code dpkg -i}, {@code systemd-analyze verify}
 * of its units, each service started by the command line of its installed unit (read as systemd
 * reads it: {@link SystemdUnit}) as the pinhole user, against a real PostgreSQL that checks the
 * password from /etc/pinhole/secrets, then a SIPp call with relayed media through the installed
 * services, its CDR, a clean stop and {@code dpkg --purge}. Needs root (dpkg, the pinhole user):
 * CI runs as root; anywhere else it fails and says so. It installs on this machine, so it
 * refuses to run where a pinhole package is installed already, and purges what it installed
 * even when it fails.
 */
class DebianPackageIT {

    private static final Path TARGET = Path.of(System.getProperty("pinhole.packaging.target", "target"));
    private static final Path WORK = TARGET.resolve("deb-it");
    private static final Path SCENARIOS = Path.of("..", "proxy", "src", "test", "resources", "sipp");
    private static final List<String> UNITS = List.of("pinhole-relay", "pinhole-proxy", "pinhole-redirect");
    private static final String DOMAIN = "deb.example";
    private static final String PASSWORD = "correct-horse";
    private static final String DB_USER = "pinhole_it";
    private static final String DB_PASSWORD = "db-secret-" + ProcessHandle.current().pid();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Map<String, Process> services = new LinkedHashMap<>();
    private boolean installed;

    @Test
    void installsVerifiesStartsTheUnitsPlacesARelayedCallAndPurges() throws Exception {
        assertThat(run("id", "-u").output().strip())
                .as("DebianPackageIT installs a .deb and creates a system user: run it as root (CI does)")
                .isEqualTo("0");
        assertThat(run("dpkg-query", "-W", "pinhole").exitCode())
                .as("a pinhole package is installed on this machine already: this test would purge it; "
                        + "remove it first (dpkg --purge pinhole)")
                .isNotEqualTo(0);
        Path deb = onlyDeb();
        Files.createDirectories(WORK);

        Ran install = run("dpkg", "-i", deb.toString());
        installed = true;
        assertThat(install.exitCode()).as(install.output()).isZero();
        assertInstalledLayout();
        for (String unit : UNITS) {
            Ran verify = run("systemd-analyze", "verify", "/lib/systemd/system/" + unit + ".service");
            assertThat(verify.exitCode()).as("systemd-analyze verify " + unit + ":\n" + verify.output()).isZero();
            assertThat(verify.output()).as("systemd-analyze verify " + unit).isBlank();
            // the hardening stays: exposure 2.9 when written; 3.5 allows a little, not its loss
            Ran security = run("systemd-analyze", "security", "--offline=true", "--threshold=35",
                    "/lib/systemd/system/" + unit + ".service");
            assertThat(security.exitCode()).as("systemd-analyze security " + unit + ":\n" + security.output()).isZero();
        }

        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startTemporary()) {
            String databaseUrl = databaseCheckingPasswords(postgres);
            Ports ports = new Ports(freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), 45600);
            configure(databaseUrl, ports);

            try {
                for (String unit : UNITS) {
                    start(unit);
                }
                awaitHealthy("pinhole-relay", ports.relayHttp());
                awaitHealthy("pinhole-proxy", ports.admin());
                awaitHealthy("pinhole-redirect", ports.redirectHttp());

                String token = Files.readString(Path.of("/var/lib/pinhole/admin-token")).strip();
                admin(ports.admin(), token, "/api/domains", "{\"name\":\"" + DOMAIN + "\"}");
                for (String user : List.of("alice", "bob")) {
                    admin(ports.admin(), token, "/api/domains/" + DOMAIN + "/users",
                            "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}");
                }

                placeRelayedCall(ports.sip());

                Map<String, Object> cdr = awaitCdr(databaseUrl, "bob@" + DOMAIN);
                assertThat(cdr).containsEntry("outcome", "answered").containsEntry("media_path", "RELAY_UDP");
                assertThat((Long) cdr.get("packets")).as("RTP went through the installed relay").isGreaterThan(100L);

                stopAll(true);
            } finally {
                stopAll(false); // before the database goes, so nothing logs a lost database
            }
        }

        Ran purge = run("dpkg", "--purge", "pinhole");
        installed = false;
        assertThat(purge.exitCode()).as(purge.output()).isZero();
        assertThat(Path.of("/var/lib/pinhole")).as("data removed on purge").doesNotExist();
        assertThat(Path.of("/etc/pinhole")).as("settings removed on purge").doesNotExist();
        assertThat(Path.of("/lib/systemd/system/pinhole-proxy.service")).doesNotExist();
    }

    /** Whatever happened: the services stopped, the package purged, so the machine is as before. */
    @AfterEach
    void cleanUp() throws Exception {
        stopAll(false);
        if (installed) {
            run("dpkg", "--purge", "pinhole");
        }
    }

    private static Path onlyDeb() throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().matches("pinhole_.*_all\\.deb")).toList();
            assertThat(debs).as("the package built by this module's package phase, in " + TARGET).hasSize(1);
            return debs.get(0);
        }
    }

    private static void assertInstalledLayout() throws Exception {
        assertThat(run("getent", "passwd", "pinhole").output()).as("the system user")
                .contains(":/var/lib/pinhole:/usr/sbin/nologin");
        assertThat(stat("/var/lib/pinhole")).isEqualTo("pinhole:pinhole 750");
        assertThat(stat("/var/lib/pinhole/admin-token")).isEqualTo("pinhole:pinhole 600");
        assertThat(Files.readString(Path.of("/var/lib/pinhole/admin-token")).strip()).matches("[0-9a-f]{64}");
        assertThat(stat("/etc/pinhole/secrets")).isEqualTo("root:pinhole 750");
        assertThat(stat("/etc/pinhole/secrets/PINHOLE_DB_PASSWORD")).isEqualTo("root:pinhole 640");
        for (String unit : UNITS) {
            assertThat(Path.of("/lib/systemd/system/" + unit + ".service")).exists();
        }
        assertThat(run("dpkg-query", "-W", "-f", "${Conffiles}", "pinhole").output())
                .contains("/etc/pinhole/pinhole.env", "/etc/pinhole/proxy.env", "/etc/pinhole/relay.env",
                        "/etc/pinhole/redirect.env");
    }

    private static String stat(String path) throws Exception {
        return run("stat", "-c", "%U:%G %a", path).output().strip();
    }

    /**
     * The database an operator would make (a role with a password, a database it owns), on a
     * server that really checks the password over TCP: zonky's cluster trusts everyone, which
     * would let a package that never reads its password file pass.
     */
    private static String databaseCheckingPasswords(EmbeddedPostgresServer postgres) throws Exception {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + DB_USER + " LOGIN PASSWORD '" + DB_PASSWORD + "'");
            statement.execute("CREATE DATABASE pinhole_it OWNER " + DB_USER);
            String hbaFile;
            try (ResultSet hba = statement.executeQuery("SHOW hba_file")) {
                hba.next();
                hbaFile = hba.getString(1);
            }
            Files.writeString(Path.of(hbaFile), """
                    local all all trust
                    host all postgres 127.0.0.1/32 trust
                    host all all 127.0.0.1/32 scram-sha-256
                    host all all ::1/128 scram-sha-256
                    """);
            statement.execute("SELECT pg_reload_conf()");
        }
        String url = postgres.jdbcUrl("pinhole_it");
        Thread.sleep(200); // the postmaster re-reads pg_hba.conf on SIGHUP, asynchronously
        assertThatThrownBy(() -> DriverManager.getConnection(url, DB_USER, "wrong").close())
                .as("the test database checks passwords").isInstanceOf(SQLException.class);
        return url;
    }

    private record Ports(int sip, int admin, int redirectSip, int redirectHttp, int relayHttp, int relayControl,
                         int mediaMin) {
    }

    /** As an operator would: edits the conffiles and writes the password into its secret file. */
    private static void configure(String databaseUrl, Ports ports) throws IOException {
        // smaller heaps and C1 only: three JVMs start on a 2-core CI machine within the test's budget
        String jvm = "PINHOLE_JVM_OPTS=-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError -Xmx384m";
        append("/etc/pinhole/pinhole.env", "PINHOLE_DB_URL=" + databaseUrl, "PINHOLE_DB_USER=" + DB_USER);
        Files.writeString(Path.of("/etc/pinhole/secrets/PINHOLE_DB_PASSWORD"), DB_PASSWORD + "\n");
        append("/etc/pinhole/relay.env", jvm,
                "PINHOLE_RELAY_MEDIA_ADDRESS=127.0.0.1",
                "PINHOLE_RELAY_CONTROL_PORT=" + ports.relayControl(),
                "PINHOLE_RELAY_HTTP_PORT=" + ports.relayHttp(),
                "PINHOLE_RELAY_PORT_MIN=" + ports.mediaMin(),
                "PINHOLE_RELAY_PORT_MAX=" + (ports.mediaMin() + 99),
                "PINHOLE_RELAY_STUN_PORT=0",
                "PINHOLE_RELAY_STUN_ALTERNATE_PORT=0",
                "PINHOLE_RELAY_WARM_UP_CALLS=0");
        append("/etc/pinhole/proxy.env", jvm,
                "PINHOLE_SIP_BIND_ADDRESS=127.0.0.1",
                "PINHOLE_SIP_PORT=" + ports.sip(),
                "PINHOLE_ADMIN_PORT=" + ports.admin(),
                "PINHOLE_MEDIA_DEFAULT_RELAY=127.0.0.1:" + ports.relayControl(),
                // SIPp's UAS would abort on the proxy's OPTIONS
                "PINHOLE_KEEPALIVE_ENABLED=false",
                "PINHOLE_PROBE_ENABLED=false");
        append("/etc/pinhole/redirect.env", jvm,
                "PINHOLE_REDIRECT_SIP_BIND_ADDRESS=127.0.0.1",
                "PINHOLE_REDIRECT_SIP_PORT=" + ports.redirectSip(),
                "PINHOLE_REDIRECT_HTTP_PORT=" + ports.redirectHttp());
    }

    private static void append(String file, String... lines) throws IOException {
        Files.writeString(Path.of(file), "\n# DebianPackageIT\n" + String.join("\n", lines) + "\n",
                StandardOpenOption.APPEND);
    }

    /** The unit's ExecStart as systemd would run it: its environment only, as its user, in its directory. */
    private void start(String name) throws IOException {
        SystemdUnit unit = SystemdUnit.read(Path.of("/lib/systemd/system/" + name + ".service"));
        assertThat(unit.user()).as(name + " User=").isEqualTo("pinhole");
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + unit.user(), "--regid=" + unit.user(),
                "--init-groups", "--no-new-privs", "--"));
        command.addAll(unit.command());
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of(unit.workingDirectory()).toFile())
                .redirectErrorStream(true).redirectOutput(log(name).toFile());
        builder.environment().clear();
        // what systemd sets for a service with User= (systemd.exec(5) "Environment Variables in Spawned Processes")
        builder.environment().putAll(Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOME", "/var/lib/pinhole", "USER", unit.user(), "LOGNAME", unit.user(), "SHELL", "/usr/sbin/nologin",
                "LANG", "C.UTF-8"));
        builder.environment().putAll(unit.environment());
        services.put(name, builder.start());
    }

    private static Path log(String name) {
        return WORK.resolve(name + ".log");
    }

    private void awaitHealthy(String name, int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Process process = services.get(name);
            if (!process.isAlive()) {
                fail(name + " exited (" + process.exitValue() + ") before it was healthy:\n" + tail(name));
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("UP")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        fail(name + " not healthy within " + START_TIMEOUT.toSeconds() + " s:\n" + tail(name));
    }

    private static String tail(String name) {
        try {
            String text = Files.readString(log(name));
            return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void admin(int port, String token, String path, String json) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST " + path + ": " + response.body()).isBetween(200, 299);
    }

    /**
     * bob registers and answers, alice calls him with a private address in her SDP (behind NAT,
     * so the proxy puts the installed relay in the media path) and plays 4 s of RTP.
     */
    private static void placeRelayedCall(int sipPort) throws Exception {
        String proxy = "127.0.0.1:" + sipPort;
        int bobPort = freePort();
        Ran registered = sipp("register", "register.xml", proxy, bobPort, null,
                "-s", "bob", "-au", "bob", "-ap", PASSWORD, "-key", "domain", DOMAIN, "-key", "expires", "600")
                .waitFor();
        assertThat(registered.exitCode()).as("bob registers:\n" + registered.output()).isZero();
        Sipped bob = sipp("callee", "call-uas.xml", proxy, bobPort, null);
        Ran alice = sipp("caller", "call-uac-rtp.xml", proxy, freePort(), RtpPcap.silence(Duration.ofSeconds(4)),
                "-s", "alice", "-au", "alice", "-ap", PASSWORD, "-key", "domain", DOMAIN, "-key", "callee", "bob",
                "-key", "sdp_ip", "10.77.0.2", "-d", "3000").waitFor();
        Ran bobDone = bob.waitFor();
        assertThat(alice.exitCode()).as("alice's call:\n" + alice.output()).isZero();
        assertThat(bobDone.exitCode()).as("bob's side:\n" + bobDone.output()).isZero();
    }

    private record Sipped(Process process, Path work) {
        Ran waitFor() throws Exception {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            String output = Files.readString(work.resolve("out.log"));
            try (Stream<Path> files = Files.list(work)) {
                for (Path file : files.filter(f -> f.toString().endsWith("_errors.log")
                        || f.toString().endsWith("_messages.log")).toList()) {
                    String text = Files.readString(file);
                    output += "\n--- " + file.getFileName() + "\n"
                            + (text.length() > 4000 ? text.substring(text.length() - 4000) : text);
                }
            }
            return new Ran(process.isAlive() ? -1 : process.exitValue(), output);
        }
    }

    private static Sipped sipp(String name, String scenario, String target, int port, byte[] pcap, String... args)
            throws IOException {
        Path work = Files.createDirectories(WORK.resolve("sipp-" + name));
        Files.copy(SCENARIOS.resolve(scenario), work.resolve(scenario), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (pcap != null) {
            Files.write(work.resolve("rtp.pcap"), pcap);
        }
        List<String> command = new ArrayList<>(List.of("sipp", target, "-sf", scenario, "-i", "127.0.0.1",
                "-p", "" + port, "-mp", "" + freePort(), "-m", "1", "-timeout", "30s", "-timeout_error", "-nostdin",
                "-trace_err", "-trace_msg"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("out.log").toFile()).start();
        return new Sipped(process, work);
    }

    private static Map<String, Object> awaitCdr(String databaseUrl, String callee) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try (Connection connection = DriverManager.getConnection(databaseUrl, DB_USER, DB_PASSWORD)) {
            while (System.nanoTime() < deadline) {
                try (var query = connection.prepareStatement(
                        "SELECT outcome, media_path, packets FROM calls WHERE callee = ?")) {
                    query.setString(1, callee);
                    try (ResultSet row = query.executeQuery()) {
                        if (row.next()) {
                            return Map.of("outcome", row.getString(1), "media_path", String.valueOf(row.getString(2)),
                                    "packets", row.getLong(3));
                        }
                    }
                }
                Thread.sleep(200);
            }
        }
        return fail("no CDR for " + callee + " within 10 s");
    }

    /** SIGTERM, as systemctl stop; a clean JVM exit is 0 or 143 (the units' SuccessExitStatus). */
    private void stopAll(boolean check) throws InterruptedException {
        List<String> names = new ArrayList<>(services.keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            Process process = services.get(names.get(i));
            process.destroy();
            boolean exited = process.waitFor(30, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            if (check) {
                assertThat(exited).as(names.get(i) + " stopped on SIGTERM within 30 s").isTrue();
                assertThat(process.exitValue()).as(names.get(i) + " exit status:\n" + tail(names.get(i)))
                        .isIn(0, 143);
            }
            services.remove(names.get(i));
        }
    }

    private record Ran(int exitCode, String output) {
    }

    private static Ran run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 60 s");
        }
        return new Ran(process.exitValue(), output);
    }

    /** A port free on loopback for both UDP and TCP (SIP listens on both). */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // UDP side in use: try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on loopback");
    }
}
