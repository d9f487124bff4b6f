package io.pinhole.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a stopped stack may have left behind: threads the RI or the stack started (by the RI's
 * names or the stack's name) that are still alive, and sockets still bound to its port.
 */
final class StackLeftovers {

    private static final List<String> RI_THREAD_NAMES = List.of("EventScannerThread", "DefaultSipTimerThread",
            "MessageProcessorThread-", "BlockingQueueDispatchAuditor");

    private final Set<Thread> before;

    private StackLeftovers(Set<Thread> before) {
        this.before = before;
    }

    /** Notes the threads alive now: they are not the stack's. */
    static StackLeftovers threadsBefore() {
        return new StackLeftovers(Set.copyOf(Thread.getAllStackTraces().keySet()));
    }

    /** Names of the stack's threads still alive after waiting up to five seconds for them to end. */
    List<String> threadsAfter(String stackName) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> left = alive(stackName);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            left = alive(stackName);
        }
        return left;
    }

    private List<String> alive(String stackName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName)
                .filter(name -> name.startsWith(stackName) || RI_THREAD_NAMES.stream().anyMatch(name::startsWith))
                .sorted()
                .collect(Collectors.toList());
    }

    /** A loopback port free for UDP and for TCP. */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                int port = udp.getLocalPort();
                if (bindsTcp(port)) {
                    return port;
                }
            }
        }
        throw new IllegalStateException("no loopback port free for UDP and TCP");
    }

    /** True when a plain UDP socket can bind the port on loopback. */
    static boolean bindsUdp(int port) {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when a plain server socket can listen on the port on loopback. */
    static boolean bindsTcp(int port) {
        try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
