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

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }
}
