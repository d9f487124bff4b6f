package io.pinhole.proxy.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A UDP socket that sends hand-written SIP text and reads the answer: for malformed input
 * no SIP stack would produce, and for checking exact response headers.
 */
public final class RawSip implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetAddress host;
    private final int port;

    public RawSip(int port) {
        this(InetAddress.getLoopbackAddress(), port);
    }

    public RawSip(InetAddress host, int port) {
        this.host = host;
        this.port = port;
        try {
            socket = new DatagramSocket(0, host);
            socket.setSoTimeout(2000);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    public void send(String message) {
        send(message.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] bytes) {
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, host, port));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next datagram, or empty after the timeout. */
    public Optional<String> receive() {
        byte[] buffer = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
            return Optional.of(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends and returns the first final (non-1xx) response, or empty. */
    public Optional<String> request(String message) {
        send(message);
        while (true) {
            Optional<String> response = receive();
            if (response.isEmpty() || !response.get().matches("(?s)SIP/2\\.0 1\\d\\d.*")) {
                return response;
            }
        }
    }

    public static int status(String response) {
        return Integer.parseInt(response.substring(8, 11));
    }

    /** The value of the first header with this name (case-insensitive), or null. */
    public static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** Every value of a header (case-insensitive name). */
    public static java.util.List<String> headers(String response, String name) {
        java.util.List<String> values = new java.util.ArrayList<>();
        for (String line : response.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                values.add(line.substring(colon + 1).trim());
            }
        }
        return values;
    }

    @Override
    public void close() {
        socket.close();
    }
}
