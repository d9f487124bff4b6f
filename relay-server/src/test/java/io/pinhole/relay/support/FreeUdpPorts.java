package io.pinhole.relay.support;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/**
 * UDP ports nothing holds right now on every given address, outside the test relays' media range
 * (a STUN port inside it fails the relay's settings check). Found by binding and closing: another
 * process could take one before the test binds it, a race these tests accept.
 */
public final class FreeUdpPorts {

    private FreeUdpPorts() {
    }

    /** {@code count} distinct ports, each free on all of {@code addresses}. */
    public static List<Integer> on(int count, InetAddress... addresses) throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (int attempt = 0; attempt < 200 && ports.size() < count; attempt++) {
            int port;
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(addresses[0], 0))) {
                port = s.getLocalPort();
            }
            if (port >= OurRelay.PORT_MIN - 1 && port <= OurRelay.PORT_MAX + 1 || ports.contains(port)
                    || !freeOnAll(port, addresses)) {
                continue;
            }
            ports.add(port);
        }
        if (ports.size() < count) {
            throw new IOException("no " + count + " free UDP ports found");
        }
        return ports;
    }

    /** A port p with p and p + 1 both free on the wildcard address (what stun's {@code -p} binds). */
    public static int pair() throws IOException {
        InetAddress any = InetAddress.getByName("0.0.0.0");
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = on(1, any).get(0); // outside the media range with a port to spare either side
            if (port < 65535 && freeOnAll(port + 1, any)) {
                return port;
            }
        }
        throw new IOException("no free UDP port pair found");
    }

    private static boolean freeOnAll(int port, InetAddress... addresses) {
        for (InetAddress a : addresses) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(a, port))) {
                // free
            } catch (SocketException e) {
                return false;
            }
        }
        return true;
    }
}
