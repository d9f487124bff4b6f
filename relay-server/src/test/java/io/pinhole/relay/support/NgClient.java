package io.pinhole.relay.support;

import io.pinhole.relay.bencode.BencodeReader;
import io.pinhole.relay.bencode.BencodeWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A blocking ng client for tests: one request, one reply matched by cookie, with a timeout. */
public final class NgClient implements AutoCloseable {

    private static final AtomicLong COOKIES = new AtomicLong();
    private final DatagramSocket socket;
    private final InetSocketAddress target;

    public NgClient(InetSocketAddress target) throws IOException {
        this.target = target;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.socket.setSoTimeout(3000);
    }

    public Map<String, Object> call(Map<String, ?> request) throws Exception {
        return call("t" + ProcessHandle.current().pid() + "_" + COOKIES.incrementAndGet(), request);
    }

    public Map<String, Object> call(String cookie, Map<String, ?> request) throws Exception {
        return decode(raw(cookie, BencodeWriter.encode(request)));
    }

    /** Sends {@code cookie + " " + body} and returns the reply body (after the cookie). */
    public byte[] raw(String cookie, byte[] body) throws IOException {
        byte[] c = (cookie + " ").getBytes(StandardCharsets.ISO_8859_1);
        byte[] msg = Arrays.copyOf(c, c.length + body.length);
        System.arraycopy(body, 0, msg, c.length, body.length);
        socket.send(new DatagramPacket(msg, msg.length, target));
        byte[] buf = new byte[65535];
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                break;
            }
            if (p.getLength() > c.length && Arrays.equals(buf, 0, c.length, c, 0, c.length)) {
                return Arrays.copyOfRange(buf, c.length, p.getLength());
            }
        }
        throw new IOException("no ng reply for cookie " + cookie + " from " + target);
    }

    public static Map<String, Object> decode(byte[] body) throws Exception {
        return BencodeReader.decodeDictionary(body, 0, body.length);
    }

    @Override
    public void close() {
        socket.close();
    }
}
