package io.pinhole.proxy.relay;

import io.pinhole.wire.ng.BencodeReader;
import io.pinhole.wire.ng.BencodeWriter;
import io.pinhole.wire.ng.NgDatagram;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An ng peer on a loopback UDP port that answers each command with what its {@link Script} says:
 * the socket, the receiving thread and the ng framing that the proxy's tests' stand-in relays
 * (conference rooms, media-timeout lists, a CPU-starved relay) share. Commands are taken one at a
 * time on one thread, so a script needs no locking of its own; {@code serviceMillis} makes each
 * take that long, as a relay starved of CPU does, while what waits stays in the socket.
 */
public final class ScriptedNgRelay implements AutoCloseable {

    /** The reply to one command, or null to send none (a relay that does not answer). */
    @FunctionalInterface
    public interface Script {
        Map<String, Object> reply(String cookie, Map<String, Object> command);
    }

    private final DatagramSocket socket;
    private final Script script;
    private final int serviceMillis;

    public ScriptedNgRelay(String name, Script script) throws IOException {
        this(name, 0, script);
    }

    public ScriptedNgRelay(String name, int serviceMillis, Script script) throws IOException {
        this.script = script;
        this.serviceMillis = serviceMillis;
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setReceiveBufferSize(4 << 20);
        Thread thread = new Thread(this::serve, name);
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** The ng control address as the proxy's relay settings take it. */
    public String control() {
        return "127.0.0.1:" + port();
    }

    private void serve() {
        byte[] buffer = new byte[65536];
        while (!socket.isClosed()) {
            try {
                DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                socket.receive(in);
                if (serviceMillis > 0) {
                    Thread.sleep(serviceMillis);
                }
                byte[] bytes = in.getData();
                int space = NgDatagram.cookieEnd(bytes, in.getLength());
                String cookie = NgDatagram.cookie(bytes, space);
                Map<String, Object> command = BencodeReader.decodeDictionary(bytes, space + 1,
                        in.getLength() - space - 1, StandardCharsets.UTF_8);
                Map<String, Object> reply = script.reply(cookie, command);
                if (reply != null) {
                    byte[] out = NgDatagram.frame(cookie, BencodeWriter.encode(reply, StandardCharsets.UTF_8));
                    socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (socket.isClosed()) {
                    return;
                }
                // a command the test's proxy got wrong: no answer, as a relay drops what it cannot read;
                // the proxy's retransmission or the test's assertion on the commands shows it
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
