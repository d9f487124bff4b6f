package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.SipStackImpl;
import io.pinhole.sip.SipStackSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoppableTcpMessageProcessorTest {

    private SipStackImpl stack;

    @AfterEach
    void stopStack() {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    void stopsWhenItsPortWasTaken() throws Exception {
        stack = new SipStackImpl(SipStackSettings.defaults("tcp-stop-taken").toProperties());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StoppableTcpMessageProcessor processor =
                    new StoppableTcpMessageProcessor(InetAddress.getLoopbackAddress(), stack, taken.getLocalPort());
            assertThatThrownBy(processor::start).isInstanceOf(IOException.class);

            assertThatCode(processor::stop).doesNotThrowAnyException();
        }
    }

    @Test
    void closesItsSocketWhenStopped() throws Exception {
        stack = new SipStackImpl(SipStackSettings.defaults("tcp-stop-listening").toProperties());
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        StoppableTcpMessageProcessor processor =
                new StoppableTcpMessageProcessor(InetAddress.getLoopbackAddress(), stack, port);
        processor.start();

        processor.stop();

        // The JDK closes a socket another thread is blocked accepting on only once that thread has
        // left accept(), a moment after stop() returns: the port is free again soon, not at once.
        try (ServerSocket again = bindWithin(port, 2_000)) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    private static ServerSocket bindWithin(int port, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            try {
                return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
            } catch (java.net.BindException stillBound) {
                if (System.nanoTime() > deadline) {
                    throw stillBound;
                }
                Thread.sleep(20);
            }
        }
    }
}
