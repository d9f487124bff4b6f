package io.pinhole.proxy.launcher;

import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Scratch;
import io.pinhole.wire.ng.NgClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code ./pinhole start} as a person runs it, with no media option: the relay's media goes on
 * this host's primary address (not 127.0.0.1), which the relay then writes into SDP, and one
 * summary says where phones and admins should point. Runs the jars of this build
 * ({@code PINHOLE_NO_BUILD=1}), on free ports, with its own embedded PostgreSQL.
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("..", "pinhole").toAbsolutePath().normalize();
    private static final Pattern MEDIA_LINE =
            Pattern.compile("pinhole: relay media on (\\S+), this host's primary address");

    @Test
    void anUnknownOptionIsCalledUnknownAndAKnownOneWithoutValueNeedsOne() throws Exception {
        Finished unknown = run(List.of("start", "--no-such-option"));
        Finished missing = run(List.of("start", "relay", "--media-address"));

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown option --no-such-option").doesNotContain("needs a value");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("--media-address needs a value");
    }

    @Test
    void startsWithMediaOnThePrimaryAddressWritesItIntoSdpAndSaysWhereToPoint() throws Exception {
        Path data = Scratch.directory("launcher-data");
        Path stderr = Scratch.file("launcher", ".err");
        int sip = FreePorts.udpAndTcp();
        int redirect = FreePorts.udpAndTcp();
        int control = FreePorts.udpAndTcp();
        int admin = FreePorts.udpAndTcp();
        int relayHttp = FreePorts.udpAndTcp();
        int redirectHttp = FreePorts.udpAndTcp();
        int database = FreePorts.udpAndTcp();
        int mediaMin = 44000;
        ProcessBuilder builder = launcher(List.of("start", "--sip-port", "" + sip, "--redirect-port", "" + redirect,
                "--relay-control-port", "" + control, "--admin-port", "" + admin, "--db-port", "" + database,
                "--data-dir", data.toString(), "--stun-ports", "0,0", "--media-ports", mediaMin + "-44099"));
        builder.environment().put("PINHOLE_RELAY_HTTP_PORT", "" + relayHttp);
        builder.environment().put("PINHOLE_REDIRECT_HTTP_PORT", "" + redirectHttp);
        builder.environment().put("PINHOLE_RELAY_WARM_UP_CALLS", "0");
        // not HTTP media on its default 80, which other relays of the tests (run as root) may hold
        builder.environment().put("PINHOLE_RELAY_HTTP_MEDIA_PORT", "0");
        builder.redirectError(stderr.toFile()).redirectOutput(Scratch.file("launcher", ".out").toFile());
        Process launcher = builder.start();
        try {
            String output = awaitSummary(launcher, stderr);

            Matcher media = MEDIA_LINE.matcher(output);
            assertThat(media.find()).as(output).isTrue();
            String address = media.group(1);
            if (hostHasNonLoopbackIpv4()) {
                InetAddress chosen = InetAddress.getByName(address);
                assertThat(chosen.isLoopbackAddress()).as("media address " + address).isFalse();
                assertThat(NetworkInterface.getByInetAddress(chosen)).as(address + " is an address of this host")
                        .isNotNull();
            } else {
                assertThat(output).contains("WARNING no non-loopback IPv4 address found");
            }
            assertThat(output)
                    .contains("pinhole: proxy advertises " + address + " in Via/Contact")
                    .contains("phones (SIP registrar and outbound proxy): sip:" + address + ":" + sip + " (UDP, TCP)")
                    .contains("media (relay): " + address + " UDP " + mediaMin + "-44099, no STUN server")
                    .contains("admin API: http://127.0.0.1:" + admin + "/api, token in " + data + "/admin-token")
                    .contains("web console: http://127.0.0.1:" + admin + "/console/")
                    .contains("redirect server: sip:127.0.0.1:" + redirect);
            assertThat(output.split("pinhole: up\\.", -1)).as("one summary").hasSize(2);

            assertThat(relayOffer(control)).contains("c=IN IP4 " + address).doesNotContain("c=IN IP4 127.0.0.1");

            Finished status = run(List.of("status", "--json"),
                    Map.of("PINHOLE_DATA_DIR", data.toString(), "PINHOLE_ADMIN_PORT", "" + admin));
            assertThat(status.exitCode()).as(status.stderr()).isEqualTo(0);
            assertThat(status.stdout()).contains("\"health\" : \"UP\"");
        } finally {
            stop(launcher);
        }
    }

    /** The relay's SDP for an offer from a phone: what the callee would be told to send media to. */
    private static String relayOffer(int control) throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (NgClient ng = new NgClient(new InetSocketAddress("127.0.0.1", control), "", Duration.ofSeconds(2), timer)) {
            String sdp = "v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n"
                    + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
            Map<String, Object> reply = ng.send(Map.of("command", "offer", "call-id", "launcher-it",
                    "from-tag", "a", "sdp", sdp)).get(10, TimeUnit.SECONDS);
            assertThat(reply).containsEntry("result", "ok");
            ng.send(Map.of("command", "delete", "call-id", "launcher-it", "from-tag", "a")).get(10, TimeUnit.SECONDS);
            return String.valueOf(reply.get("sdp"));
        } finally {
            timer.shutdownNow();
        }
    }

    private static boolean hostHasNonLoopbackIpv4() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()
                    && Collections.list(nic.getInetAddresses()).stream().anyMatch(a -> a instanceof Inet4Address)) {
                return true;
            }
        }
        return false;
    }

    /** Three Spring services on a busy 2-core machine: allow minutes, fail at once when the launcher exits. */
    private static String awaitSummary(Process launcher, Path stderr) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            String output = Files.readString(stderr);
            if (output.contains("pinhole: up.") && output.contains("redirect server:")) {
                return output;
            }
            if (!launcher.isAlive()) {
                fail("the launcher exited (" + launcher.exitValue() + ") before its summary:\n" + output);
            }
            Thread.sleep(200);
        }
        return fail("no summary within 4 minutes:\n" + Files.readString(stderr));
    }

    /** SIGTERM, as Ctrl-C: the launcher stops its services, then itself. */
    private static void stop(Process launcher) throws InterruptedException {
        List<ProcessHandle> children = new ArrayList<>(launcher.descendants().toList());
        launcher.destroy();
        boolean exited = launcher.waitFor(90, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroyForcibly); // only if one survived its launcher
        assertThat(exited).as("launcher stopped on SIGTERM").isTrue();
    }

    private record Finished(int exitCode, String stdout, String stderr) {
    }

    private static Finished run(List<String> arguments) throws IOException, InterruptedException {
        return run(arguments, Map.of());
    }

    private static Finished run(List<String> arguments, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = launcher(arguments);
        builder.environment().putAll(env);
        Path out = Scratch.file("launcher", ".out");
        Path err = Scratch.file("launcher", ".err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("./pinhole " + arguments + " did not finish within 60 s");
        }
        return new Finished(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The launcher with no PINHOLE_* setting from the test's environment, and never building. */
    private static ProcessBuilder launcher(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(LAUNCHER.getParent().toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PINHOLE_"));
        builder.environment().put("PINHOLE_NO_BUILD", "1");
        // the relay and the services run on the test's JDK, as the other ITs do
        builder.environment().put("PINHOLE_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("PINHOLE_RELAY_JAVA", builder.environment().get("PINHOLE_JAVA"));
        return builder;
    }
}
