package io.pinhole.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A UDP socket that sends hand-written SIP text and reads the answer: for malformed input
 * no SIP stack would produce (garbage, truncation), and for checking exact response headers.
 */
public final class RawSip implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

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

    /** The next datagram, or empty after 2 s. */
    public Optional<String> receive() {
        return receive(TIMEOUT);
    }

    /** The next datagram received within {@code timeout}, or empty. */
    public Optional<String> receive(Duration timeout) {
        byte[] buffer = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
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

    /** Sends {@code data} over a new TCP connection and returns what comes back (up to a blank line) before the timeout. */
    public static String overTcp(int port, byte[] data, Duration timeout) {
        try (Socket tcp = new Socket()) {
            tcp.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
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
            } catch (SocketTimeoutException | SocketException e) {
                // nothing (more) came back
            }
            return received.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
