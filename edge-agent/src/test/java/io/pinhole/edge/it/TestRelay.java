package io.pinhole.edge.it;

import io.pinhole.testsupport.ChildProcess;
import io.pinhole.wire.ng.BencodeException;
import io.pinhole.wire.ng.BencodeReader;
import io.pinhole.wire.ng.BencodeWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real relay, run from its built jar (named by failsafe in {@code pinhole.test.relay-jar}), with
 * a blocking ng client: the test drives it as the proxy would.
 */
final class TestRelay implements AutoCloseable {


    private final ChildProcess process;
    private final int controlPort;
    private int cookie;

    TestRelay(Map<String, Object> settings) {
        String jar = System.getProperty("pinhole.test.relay-jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("pinhole.test.relay-jar (" + jar + ") is missing: run through Maven, "
                    + "with relay-server packaged (mvn -pl edge-agent -am verify)");
        }
        controlPort = Ports.freeUdp();
        List<String> arguments = new ArrayList<>(List.of("--pinhole.relay.control-port=" + controlPort, "--server.port=0",
                "--pinhole.relay.warm-up-calls=50", "--pinhole.relay.media-warm-up=0s", "--pinhole.relay.stun-port=0"));
        settings.forEach((k, v) -> arguments.add("--" + k + "=" + v));
        process = ChildProcess.java("edge-it-relay", Path.of(jar), arguments);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if ("pong".equals(command(Map.of("command", "ping")).get("result"))) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                if (!process.alive() || System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("relay did not start:\n" + output());
                }
            }
        }
    }

    synchronized Map<String, Object> command(Map<String, Object> dict) {
        String c = "t" + (++cookie);
        byte[] body = BencodeWriter.encode(dict, StandardCharsets.UTF_8);
        byte[] prefix = (c + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] datagram = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, datagram, 0, prefix.length);
        System.arraycopy(body, 0, datagram, prefix.length, body.length);
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(1000);
            s.send(new DatagramPacket(datagram, datagram.length, new InetSocketAddress("127.0.0.1", controlPort)));
            byte[] buf = new byte[65535];
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            s.receive(reply);
            int space = 0;
            while (space < reply.getLength() && buf[space] != ' ') {
                space++;
            }
            return BencodeReader.decodeDictionary(buf, space + 1, reply.getLength() - space - 1, StandardCharsets.UTF_8);
        } catch (BencodeException e) {
            throw new IllegalStateException("unreadable ng answer: " + e.getMessage(), e);
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("no ng answer");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String output() {
        return process.output();
    }

    /** The relay stops for {@code pause} (SIGSTOP/SIGCONT) and carries on where it was. */
    void freeze(java.time.Duration pause) throws InterruptedException {
        process.freeze(pause);
    }

    @Override
    public void close() {
        process.close();
    }
}
