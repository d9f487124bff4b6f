package io.pinhole.redirect.support;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port free for both UDP and TCP on loopback. JAIN-SIP cannot listen on port 0 and report
 * the port it got, so tests pick one here (away from the ports Pinhole uses by default).
 */
public final class FreePorts {

    private FreePorts() {
    }

    public static int udpAndTcp() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 30000);
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                 ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(true);
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port for UDP and TCP in 20000-29999");
    }
}
