package io.pinhole.proxy.support;

import io.pinhole.testsupport.Scratch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A capture on the loopback interface with tshark (Debian package tshark), limited to the
 * given UDP ports, read back as one line per packet: source port, destination port and what
 * it carried (SIP request method or status code, or the ng command).
 */
public final class Tshark implements AutoCloseable {

    /** One captured datagram. */
    public record Packet(int sourcePort, int destinationPort, String summary) {
    }

    private final Process process;
    private final Path file;

    private Tshark(List<Integer> ports) throws IOException, InterruptedException {
        file = Scratch.file("capture", ".pcapng");
        String filter = String.join(" or ", ports.stream().map(p -> "udp port " + p).toList());
        process = new ProcessBuilder("tshark", "-i", "lo", "-f", filter, "-w", file.toString(), "-q")
                .redirectErrorStream(true).start();
        awaitCapturing();
    }

    /**
     * Returns once tshark says it captures ("Capturing on ..."); a fixed pause was not enough on
     * a loaded machine (the first packets of a call were missed). Its output is drained after.
     */
    private void awaitCapturing() throws InterruptedException {
        java.util.concurrent.CountDownLatch capturing = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.contains("Capturing on")) {
                        capturing.countDown();
                    }
                }
            } catch (IOException e) {
                // tshark ended
            }
            capturing.countDown();
        }, "tshark-output");
        reader.setDaemon(true);
        reader.start();
        if (!capturing.await(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("tshark did not start capturing within 20 s");
        }
        Thread.sleep(200); // the message comes just before the capture loop runs
    }

    public static Tshark capture(List<Integer> ports) {
        try {
            return new Tshark(ports);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run tshark (is the tshark package installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the capture and returns every packet, in order; {@code sipPorts} are decoded as SIP. */
    public List<Packet> packets(List<Integer> sipPorts) {
        try {
            Thread.sleep(500);
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            List<String> command = new ArrayList<>(List.of("tshark", "-r", file.toString()));
            for (int port : sipPorts) {
                command.addAll(List.of("-d", "udp.port==" + port + ",sip"));
            }
            command.addAll(List.of("-T", "fields", "-E", "separator=|", "-e", "udp.srcport", "-e", "udp.dstport",
                    "-e", "sip.Method", "-e", "sip.Status-Code", "-e", "data.data"));
            Process read = new ProcessBuilder(command).redirectErrorStream(false).start();
            List<Packet> packets = new ArrayList<>();
            for (String line : new String(read.getInputStream().readAllBytes()).split("\n")) {
                String[] f = line.split("\\|", -1);
                if (f.length < 5 || f[0].isEmpty()) {
                    continue;
                }
                String summary = !f[3].isEmpty() ? f[3] : !f[2].isEmpty() ? f[2] : ngCommand(f[4]);
                packets.add(new Packet(Integer.parseInt(f[0]), Integer.parseInt(f[1]), summary));
            }
            read.waitFor(30, TimeUnit.SECONDS);
            return packets;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** "ng offer", "ng answer", "ng reply" … from a datagram's hex payload. */
    private static String ngCommand(String hex) {
        if (hex.isEmpty()) {
            return "";
        }
        String text = new String(HexFormat.of().parseHex(hex.replace(":", "")));
        int at = text.indexOf("7:command");
        if (at < 0) {
            return text.contains("6:result") ? "ng reply" : "data";
        }
        String rest = text.substring(at + 9);
        int colon = rest.indexOf(':');
        int length = Integer.parseInt(rest.substring(0, colon));
        return "ng " + rest.substring(colon + 1, colon + 1 + length);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
