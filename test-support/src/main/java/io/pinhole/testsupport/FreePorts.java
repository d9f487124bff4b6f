package io.pinhole.testsupport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A port free for both UDP and TCP on loopback (SIP needs the same number for both).
 *
 * <p>Ports come from 20000-31999, below the kernel's ephemeral range (32768 and up): an
 * ephemeral port handed to a test can be taken a moment later by any socket that binds port
 * 0, and the test relays allocate media ports at 42000-45999, inside that range. A SIPp UAS
 * whose port is taken exits ("Unable to bind main socket"): the likely cause of a CI fork test
 * in which one fork never rang. Each port is handed out once per JVM, four apart, since SIPp
 * also binds the ports just above its media port.
 */
public final class FreePorts {

    private static final int LOW = 20000;
    private static final int SPAN = 12000;
    private static final int STEP = 4;
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(SPAN / STEP) * STEP);

    private FreePorts() {
    }

    public static int udpAndTcp() {
        for (int attempt = 0; attempt < SPAN / STEP; attempt++) {
            int port = LOW + Math.floorMod(NEXT.getAndAdd(STEP), SPAN);
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                 ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(true);
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                // try the next one
            }
        }
        throw new IllegalStateException("no port free for both UDP and TCP in " + LOW + "-" + (LOW + SPAN - 1));
    }
}
