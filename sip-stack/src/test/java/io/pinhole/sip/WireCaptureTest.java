package io.pinhole.sip;

import io.pinhole.sip.SipEndpoint.Transport;
import io.pinhole.sip.hep.HepServerLogger;
import io.pinhole.sip.hep.MessageTap;
import io.pinhole.sip.hep.SecretRedaction;
import io.pinhole.sip.hep.WireBytes;
import org.junit.jupiter.api.Test;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.message.MessageFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The capture gets the bytes a real stack received and sent over UDP, not the messages formatted
 * again: a request in compact form is captured in compact form (formatted, it would read
 * {@code Call-ID:}, and its Via would carry the received/rport the stack adds), and the answer
 * is captured as the very bytes the phone got.
 */
class WireCaptureTest {

    private static final String LOOPBACK = "127.0.0.1";

    private record Captured(boolean sent, String peer, byte[] bytes, boolean fromTheWire) {
    }

    @Test
    void capturesTheBytesReceivedAndSent() throws Exception {
        int port = StackLeftovers.freePort();
        BlockingQueue<Captured> captured = new LinkedBlockingQueue<>();
        MessageTap tap = (message, sent, peer, time) -> captured.add(
                new Captured(sent, peer, SecretRedaction.wire(message, sent), WireBytes.of(message, sent) != null));
        Properties properties = SipStackSettings.defaults("wire-" + port).toProperties();
        properties.putAll(HepServerLogger.stackProperties(null, true));
        try (SipEndpoint endpoint = SipEndpoint.open(properties, LOOPBACK, List.of(new Transport("udp", port)),
                new Answering200(), AnswerTap.NONE, tap);
             DatagramSocket phone = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            phone.setSoTimeout(5000);
            byte[] options = ("OPTIONS sip:" + LOOPBACK + ":" + port + " SIP/2.0\r\n"
                    + "v: SIP/2.0/UDP " + LOOPBACK + ":" + phone.getLocalPort() + ";branch=z9hG4bK-wire;rport\r\n"
                    + "Max-Forwards:70\r\nf: <sip:a@example.com>;tag=1\r\nt: <sip:b@example.com>\r\n"
                    + "i: wire-test\r\nCSeq:   1 OPTIONS\r\nl: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            phone.send(new DatagramPacket(options, options.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket answer = new DatagramPacket(new byte[65535], 65535);
            phone.receive(answer);
            byte[] answered = Arrays.copyOf(answer.getData(), answer.getLength());

            Captured in = captured.poll(5, TimeUnit.SECONDS);
            Captured out = captured.poll(5, TimeUnit.SECONDS);

            assertThat(in.sent()).isFalse();
            assertThat(in.fromTheWire()).isTrue();
            assertThat(new String(in.bytes(), StandardCharsets.US_ASCII)).isEqualTo(new String(options, StandardCharsets.US_ASCII));
            assertThat(out.sent()).isTrue();
            assertThat(out.fromTheWire()).as("the bytes the channel wrote, not the response formatted again").isTrue();
            assertThat(out.peer()).isEqualTo(LOOPBACK + ":" + phone.getLocalPort());
            assertThat(new String(out.bytes(), StandardCharsets.US_ASCII)).isEqualTo(new String(answered, StandardCharsets.US_ASCII))
                    .startsWith("SIP/2.0 200 OK");
        }
    }

    /** Answers every request 200 through a server transaction, as the proxy's handlers do. */
    private static final class Answering200 implements SipListener {
        private final MessageFactory messages;

        Answering200() throws Exception {
            messages = SipFactory.getInstance().createMessageFactory();
        }

        @Override
        public void processRequest(RequestEvent event) {
            try {
                ((SipProvider) event.getSource()).getNewServerTransaction(event.getRequest())
                        .sendResponse(messages.createResponse(200, event.getRequest()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void processResponse(ResponseEvent event) {
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
        }

        @Override
        public void processIOException(IOExceptionEvent event) {
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
        }
    }
}
