package io.pinhole.proxy.flood;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A UDP socket on another loopback address (127.0.0.x) that talks to the proxy on 127.0.0.1:
 * to the proxy it is a stranger's address, not one of its own. (RawSip binds the address it
 * sends to, which suits a proxy listening there.)
 */
final class LoopbackPhone implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress proxy;
    private final String address;

    LoopbackPhone(String address, int proxyPort) throws IOException {
        this.address = address;
        this.socket = new DatagramSocket(0, InetAddress.getByName(address));
        this.socket.setSoTimeout(2000);
        this.proxy = new InetSocketAddress(InetAddress.getLoopbackAddress(), proxyPort);
    }

    String address() {
        return address;
    }

    int port() {
        return socket.getLocalPort();
    }

    void send(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, proxy));
    }

    /** Sends and returns the first final (non-1xx) response, or empty when none comes within 2 s. */
    Optional<String> request(String message) throws IOException {
        send(message);
        byte[] buffer = new byte[65535];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            String response = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            if (!response.matches("(?s)SIP/2\\.0 1\\d\\d.*")) {
                return Optional.of(response);
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
