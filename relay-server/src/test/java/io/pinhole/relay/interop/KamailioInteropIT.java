package io.pinhole.relay.interop;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.testsupport.Binaries;
import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.OurRelay;
import io.pinhole.testsupport.Scratch;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kamailio (Debian {@code kamailio}) with its rtpengine module drives our relay: a SIPp call
 * through Kamailio completes, and G.711 from both SIPp ends is relayed to the other side. The
 * caller's SDP carries a private address (10.77.0.2), so Kamailio asks for
 * {@code SIP-source-address} and the relay must send to 127.0.0.1.
 *
 * <p>Ports: Kamailio 45060, UAC 45070, UAS 45080, SIPp media 46000/46200, relay 24000-24999.
 */
@Timeout(90)
class KamailioInteropIT {

    private static final int KAM_PORT = 45060;
    private static final int UAC_PORT = 45070;
    private static final int UAS_PORT = 45080;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void sippCallThroughKamailioGetsMediaRelayedBothWays() throws Exception {
        Path kamailio = Binaries.require("kamailio");
        Path sipp = Binaries.require("sipp");
        Path dir = Scratch.directory("kamailio-it");
        for (String f : List.of("uac.xml", "uas.xml", "pcma.wav")) {
            copy(f, dir.resolve(f));
        }
        try (OurRelay relay = new OurRelay(); NgClient ng = new NgClient(relay.ng())) {
            Path cfg = dir.resolve("kamailio.cfg");
            copy("kamailio.cfg", cfg);
            Files.writeString(cfg, Files.readString(cfg).replace("@KAM_PORT@", Integer.toString(KAM_PORT))
                    .replace("@NG_PORT@", Integer.toString(relay.ng().getPort())));
            Path runtime = Files.createDirectories(dir.resolve("run"));
            start(dir, "kamailio.log", kamailio.toString(), "-f", cfg.toString(), "-DD", "-E", "-m", "64", "-M", "8",
                    "-Y", runtime.toString());
            assertThat(kamailioAnswers()).as("Kamailio answers OPTIONS (log: %s)", dir.resolve("kamailio.log")).isTrue();

            start(dir, "uas.log", sipp.toString(), "-sf", "uas.xml", "-i", "127.0.0.1", "-p", Integer.toString(UAS_PORT),
                    "-mi", "127.0.0.1", "-mp", "46200", "-set", "rtp", "1", "-m", "1", "-nostdin", "-trace_err",
                    "-timeout", "60", "-timeout_error");
            Thread.sleep(300);
            Process uac = start(dir, "uac.log", sipp.toString(), "127.0.0.1:" + UAS_PORT, "-rsa", "127.0.0.1:" + KAM_PORT,
                    "-sf", "uac.xml", "-s", "uas", "-i", "127.0.0.1", "-p", Integer.toString(UAC_PORT),
                    "-mi", "127.0.0.1", "-mp", "46000", "-set", "rtp", "1", "-d", "4000", "-m", "1", "-nostdin",
                    "-trace_err", "-timeout", "60", "-timeout_error");

            // while the call is up: both sides' media reached the relay and was forwarded to the other
            AtomicReference<Map<String, Object>> last = new AtomicReference<>();
            try {
                eventually(Duration.ofSeconds(15), () -> {
                    List<?> calls = (List<?>) ng.call(Map.of("command", "list")).get("calls");
                    if (calls.isEmpty()) {
                        return false;
                    }
                    Map<String, Object> q = ng.call(Map.of("command", "query", "call-id", calls.get(0)));
                    last.set(q);
                    return packets(q, 0, "stats") >= 50 && packets(q, 1, "stats") >= 50
                            && packets(q, 0, "stats out") >= 50 && packets(q, 1, "stats out") >= 50;
                }, "media both ways through the relay");
            } catch (AssertionError notFlowing) {
                throw new AssertionError(notFlowing.getMessage() + ": " + last.get(), notFlowing);
            }
            assertThat(last.get().toString()).doesNotContain("10.77.0.2");
            assertThat(endpoint(last.get(), 0)).containsEntry("address", "127.0.0.1");
            assertThat(endpoint(last.get(), 1)).containsEntry("address", "127.0.0.1");

            assertThat(uac.waitFor(30, TimeUnit.SECONDS)).as("SIPp UAC finished").isTrue();
            assertThat(uac.exitValue()).as("SIPp UAC call succeeded (see %s)", dir.resolve("uac.log")).isZero();
            eventually(Duration.ofSeconds(5), () -> ((List<?>) ng.call(Map.of("command", "list")).get("calls")).isEmpty(),
                    "BYE made Kamailio delete the call on the relay");
            eventually(Duration.ofSeconds(3), () -> ng.call(Map.of("command", "statistics")).toString()
                    .contains("regularterminatedsessions=1"), "statistics count the ended call");
        }
    }

    private Process start(Path dir, String log, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile()).start();
        processes.add(p);
        return p;
    }

    private static void copy(String resource, Path to) throws Exception {
        try (InputStream in = KamailioInteropIT.class.getResourceAsStream("/interop/" + resource)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean kamailioAnswers() throws Exception {
        String options = "OPTIONS sip:127.0.0.1:" + KAM_PORT + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-probe%d\r\nFrom: <sip:probe@127.0.0.1>;tag=p\r\n"
                + "To: <sip:127.0.0.1:" + KAM_PORT + ">\r\nCall-ID: probe-%d@127.0.0.1\r\nCSeq: 1 OPTIONS\r\n"
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(300);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            for (int i = 0; System.nanoTime() < deadline; i++) {
                byte[] b = String.format(options, s.getLocalPort(), i, i).getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", KAM_PORT)));
                try {
                    DatagramPacket r = new DatagramPacket(new byte[4096], 4096);
                    s.receive(r);
                    if (new String(r.getData(), 0, r.getLength(), StandardCharsets.US_ASCII).startsWith("SIP/2.0 200")) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    // not up yet
                }
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> streamOf(Map<String, Object> q, int side) {
        Map<String, Object> tags = (Map<String, Object>) q.get("tags");
        Map<String, Object> tag = (Map<String, Object>) new ArrayList<>(tags.values()).get(side);
        Map<String, Object> media = (Map<String, Object>) ((List<Object>) tag.get("medias")).get(0);
        return (Map<String, Object>) ((List<Object>) media.get("streams")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static long packets(Map<String, Object> q, int side, String key) {
        return (Long) ((Map<String, Object>) streamOf(q, side).get(key)).get("packets");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> endpoint(Map<String, Object> q, int side) {
        return (Map<String, Object>) streamOf(q, side).get("endpoint");
    }
}
