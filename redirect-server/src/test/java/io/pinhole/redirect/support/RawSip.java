package io.pinhole.redirect.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Sends arbitrary bytes to the server (what SIPp cannot: garbage, truncation) and reads answers. */
public final class RawSip implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress server;

    public RawSip(int serverPort) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    public void send(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, server));
    }

    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next datagram received within the timeout, or empty. */
    public Optional<String> receive(Duration timeout) throws IOException {
        byte[] buffer = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            socket.receive(packet);
            return Optional.of(new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8));
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
    }

    /** Sends {@code text} over a new TCP connection and returns what comes back before the timeout. */
    public static String overTcp(int serverPort, byte[] data, Duration timeout) throws IOException {
        try (Socket tcp = new Socket()) {
            tcp.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort), 2000);
            tcp.setSoTimeout((int) timeout.toMillis());
            OutputStream out = tcp.getOutputStream();
            out.write(data);
            out.flush();
            InputStream in = tcp.getInputStream();
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    if (received.indexOf("\r\n\r\n") >= 0) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // nothing (more) came back
            }
            return received.toString();
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
