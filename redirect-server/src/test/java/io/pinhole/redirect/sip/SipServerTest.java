package io.pinhole.redirect.sip;

import io.pinhole.redirect.config.RedirectProperties;
import io.pinhole.redirect.config.RedirectProperties.ResponseMode;
import io.pinhole.testsupport.FreePorts;
import org.junit.jupiter.api.Test;

import javax.sip.SipListener;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

class SipServerTest {

    /** Threads the RI starts, by the names it gives them; the stack's own carry the stack's name. */
    private static final List<String> RI_THREADS = List.of("EventScannerThread", "DefaultSipTimerThread",
            "MessageProcessorThread-", "BlockingQueueDispatchAuditor");

    @Test
    void aTakenPortFailsTheStartNamingItAndLeavesNoSocketOrThread() throws Exception {
        int port = FreePorts.udpAndTcp();
        SipServer server = new SipServer(sip(port), new RedirectProperties.Capture("", 2002, ""), mock(SipListener.class));
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {

            assertThatThrownBy(server::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("Address already in use");

            assertThat(server.isRunning()).isFalse();
            assertThat(stackThreadsLeft(before, "pinhole-redirect-127.0.0.1-" + port)).isEmpty();
            assertThat(bindsUdp(port)).as("the UDP port opened before TCP failed is released").isTrue();
        }
    }

    @Test
    void startsOnceThePortIsFreeAfterAFailedStart() throws Exception {
        int port = FreePorts.udpAndTcp();
        SipServer server = new SipServer(sip(port), new RedirectProperties.Capture("", 2002, ""), mock(SipListener.class));
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThatThrownBy(server::start).hasMessageContaining("127.0.0.1:" + port);
        }

        server.start();
        try {
            assertThat(server.isRunning()).isTrue();
        } finally {
            server.stop();
        }
        assertThat(server.isRunning()).isFalse();
        assertThat(bindsUdp(port)).isTrue();
    }

    private static RedirectProperties.Sip sip(int port) {
        return new RedirectProperties.Sip("127.0.0.1", port, List.of("udp", "tcp"), 2, ResponseMode.STATELESS, List.of());
    }

    /** The stack's threads, and the RI's, started after {@code before} and alive after up to five seconds. */
    private static List<String> stackThreadsLeft(Set<Thread> before, String stackName) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            List<String> left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !before.contains(t))
                    .map(Thread::getName)
                    .filter(name -> name.startsWith(stackName) || RI_THREADS.stream().anyMatch(name::startsWith))
                    .sorted()
                    .toList();
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return left;
            }
            Thread.sleep(20);
        }
    }

    private static boolean bindsUdp(int port) {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
