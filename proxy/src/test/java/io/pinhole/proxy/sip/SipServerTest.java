package io.pinhole.proxy.sip;

import io.pinhole.sip.AnswerTap;
import io.pinhole.testsupport.FreePorts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
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
        SipServer server = server(port);
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {

            assertThatThrownBy(server::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("Address already in use");

            assertThat(server.isRunning()).isFalse();
            assertThat(stackThreadsLeft(before, "pinhole-proxy-" + port)).isEmpty();
            assertThat(bindsUdp(port)).as("the UDP port opened before TCP failed is released").isTrue();
            assertThatThrownBy(() -> server.provider("UDP")).hasMessage("no UDP listening point");
        }
    }

    @Test
    void startsOnceThePortIsFreeAfterAFailedStart() throws Exception {
        int port = FreePorts.udpAndTcp();
        SipServer server = server(port);
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThatThrownBy(server::start).hasMessageContaining("127.0.0.1:" + port);
        }

        server.start();
        try {
            assertThat(server.isRunning()).isTrue();
            assertThat(server.provider("udp").getListeningPoint("udp").getPort()).isEqualTo(port);
            assertThat(server.provider("TCP").getListeningPoint("tcp").getPort()).isEqualTo(port);
            assertThat(server.stack()).isNotNull();
        } finally {
            server.stop();
        }
        assertThat(server.isRunning()).isFalse();
        assertThat(server.stack()).isNull();
        assertThat(bindsUdp(port)).isTrue();
    }

    private static SipServer server(int port) {
        SipProperties properties = new SipProperties("127.0.0.1", "", port, 5061, "", "", "PKCS12", 2, 16384,
                Duration.ofSeconds(5), true);
        return new SipServer(properties, new SipSender(properties), mock(SipDispatcher.class), new ReceiveBacklog(), AnswerTap.NONE,
                CaptureProperties.off());
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
