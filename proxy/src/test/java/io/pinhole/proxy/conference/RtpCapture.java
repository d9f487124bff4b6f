package io.pinhole.proxy.conference;

import io.pinhole.testsupport.Scratch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * tshark inside a phone's namespace, on the phone's media port: what a SIPp phone (which cannot
 * record) sends and receives, read back as RTP with arrival times.
 */
final class RtpCapture implements AutoCloseable {

    /** One RTP packet seen at the phone: {@code in} when it arrived for the phone. */
    record Packet(double epochSeconds, boolean in, int payloadType, byte[] payload) {
    }

    private final Process process;
    private final Path file;
    private final int port;

    private RtpCapture(String namespace, int port) throws IOException, InterruptedException {
        this.port = port;
        this.file = Scratch.file("conference-" + port, ".pcap");
        this.process = new ProcessBuilder("ip", "netns", "exec", namespace, "tshark", "-i", "any", "-f",
                "udp port " + port, "-F", "pcap", "-w", file.toString(), "-q").redirectErrorStream(true).start();
        CountDownLatch capturing = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.contains("Capturing on")) {
                        capturing.countDown();
                    }
                }
            } catch (IOException e) {
                // tshark ended
            }
            capturing.countDown();
        }, "tshark-" + namespace);
        reader.setDaemon(true);
        reader.start();
        if (!capturing.await(20, TimeUnit.SECONDS) || !process.isAlive()) {
            throw new IllegalStateException("tshark did not start capturing in " + namespace);
        }
        Thread.sleep(300);
    }

    static RtpCapture start(String namespace, int port) {
        try {
            return new RtpCapture(namespace, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run tshark (Debian package tshark)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the capture and returns its RTP packets in arrival order. */
    List<Packet> packets() {
        close();
        try {
            Process read = new ProcessBuilder("tshark", "-r", file.toString(), "-d", "udp.port==" + port + ",rtp",
                    "-T", "fields", "-E", "separator=/t", "-e", "frame.time_epoch", "-e", "udp.dstport",
                    "-e", "rtp.p_type", "-e", "rtp.payload").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<Packet> packets = new ArrayList<>();
            try (var lines = new BufferedReader(new InputStreamReader(read.getInputStream()))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    String[] f = line.split("\t", -1);
                    if (f.length < 4 || f[2].isEmpty()) {
                        continue;
                    }
                    byte[] payload = f[3].isEmpty() ? new byte[0] : HexFormat.of().parseHex(f[3].replace(":", ""));
                    packets.add(new Packet(Double.parseDouble(f[0]), Integer.parseInt(f[1]) == port,
                            Integer.parseInt(f[2]), payload));
                }
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

    /** The A-law audio that arrived between two instants, decoded, in arrival order. */
    static double[] heard(List<Packet> packets, double fromEpoch, double toEpoch) {
        java.io.ByteArrayOutputStream audio = new java.io.ByteArrayOutputStream();
        for (Packet p : packets) {
            if (p.in() && p.payloadType() == 8 && p.epochSeconds() >= fromEpoch && p.epochSeconds() < toEpoch) {
                audio.writeBytes(p.payload());
            }
        }
        return Tones.decode(audio.toByteArray());
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: dumpcap finishes the file
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
