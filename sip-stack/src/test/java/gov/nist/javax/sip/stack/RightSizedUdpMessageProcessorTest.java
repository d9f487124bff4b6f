package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.SipStackImpl;
import io.pinhole.sip.SipStackSettings;
import org.junit.jupiter.api.RepeatedTest;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RightSizedUdpMessageProcessorTest {

    /** A stack whose next listening point fails stops its UDP one at once, before its thread ran. */
    @RepeatedTest(5)
    void stoppedAtOnceAfterStartingItsWorkersEnd() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        String name = "udp-stop-" + port;
        SipStackImpl stack = new SipStackImpl(SipStackSettings.defaults(name).toProperties());
        stack.createListeningPoint("127.0.0.1", port, "udp");

        stack.stop();

        assertThat(workersAlive(name, 5_000)).isEmpty();
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    private static List<String> workersAlive(String stackName, long waitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (true) {
            List<String> alive = Thread.getAllStackTraces().keySet().stream()
                    .filter(Thread::isAlive).map(Thread::getName)
                    .filter(n -> n.startsWith(stackName + "-UDPMessageChannelThread-")).toList();
            if (alive.isEmpty() || System.currentTimeMillis() > deadline) {
                return alive;
            }
            Thread.sleep(20);
        }
    }
}
