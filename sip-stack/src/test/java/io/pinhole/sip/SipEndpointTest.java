package io.pinhole.sip;

import io.pinhole.sip.SipEndpoint.Transport;
import org.junit.jupiter.api.Test;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SipEndpointTest {

    private static final String LOOPBACK = "127.0.0.1";

    private final RecordingListener listener = new RecordingListener();

    @Test
    void listensOnEveryTransportWithAProviderEach() throws Exception {
        int port = StackLeftovers.freePort();
        try (SipEndpoint endpoint = SipEndpoint.open(SipStackSettings.defaults("endpoint-" + port).toProperties(),
                LOOPBACK, List.of(new Transport("udp", port), new Transport("TCP", port)), listener)) {

            assertThat(endpoint.provider("UDP").getListeningPoint("udp").getPort()).isEqualTo(port);
            assertThat(endpoint.provider("tcp").getListeningPoint("tcp").getPort()).isEqualTo(port);
            assertThat(endpoint.listeningPoints()).extracting(p -> p.getTransport().toUpperCase())
                    .containsExactly("UDP", "TCP");
            assertThatThrownBy(() -> endpoint.provider("tls"))
                    .isInstanceOf(IllegalStateException.class).hasMessage("no tls listening point");
        }
    }

    @Test
    void givesRequestsToTheListener() throws Exception {
        int port = StackLeftovers.freePort();
        try (SipEndpoint endpoint = SipEndpoint.open(SipStackSettings.defaults("endpoint-" + port).toProperties(),
                LOOPBACK, List.of(new Transport("udp", port)), listener);
             DatagramSocket phone = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            byte[] options = ("OPTIONS sip:" + LOOPBACK + ":" + port + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + LOOPBACK + ":" + phone.getLocalPort() + ";branch=z9hG4bK-endpoint\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n"
                    + "Call-ID: endpoint-test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            phone.send(new DatagramPacket(options, options.length, InetAddress.getLoopbackAddress(), port));

            RequestEvent received = listener.requests.poll(5, TimeUnit.SECONDS);

            assertThat(received).isNotNull();
            assertThat(received.getSource()).isSameAs(endpoint.provider("udp"));
        }
    }

    /** The answers to our stateless pings never reach the stack; any other response without a transaction does. */
    @Test
    void handsAnswersToStatelessRequestsToTheTapAndOtherResponsesToTheListener() throws Exception {
        int port = StackLeftovers.freePort();
        BlockingQueue<String> pings = new ArrayBlockingQueue<>(8);
        AnswerTap tap = new AnswerTap(List.of(new StatelessAnswers() {
            @Override
            public String callIdPrefix() {
                return "nat-ping-";
            }

            @Override
            public void answered(String callId) {
                pings.offer(callId);
            }
        }));
        try (SipEndpoint endpoint = SipEndpoint.open(SipStackSettings.defaults("endpoint-" + port).toProperties(),
                LOOPBACK, List.of(new Transport("udp", port)), listener, tap);
             DatagramSocket phone = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (String callId : List.of("nat-ping-7-1@" + LOOPBACK, "a84b4c76e66710@pc33.example.com")) {
                byte[] ok = ("SIP/2.0 200 OK\r\n"
                        + "Via: SIP/2.0/UDP " + LOOPBACK + ":" + port + ";branch=z9hG4bK" + callId.hashCode() + ";rport\r\n"
                        + "From: <sip:keepalive@" + LOOPBACK + ">;tag=1\r\nTo: <sip:b@example.com>;tag=2\r\n"
                        + "Call-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                phone.send(new DatagramPacket(ok, ok.length, InetAddress.getLoopbackAddress(), port));
            }

            ResponseEvent other = listener.responses.poll(5, TimeUnit.SECONDS);

            assertThat(pings.poll(5, TimeUnit.SECONDS)).isEqualTo("nat-ping-7-1@" + LOOPBACK);
            assertThat(other).isNotNull();
            assertThat(other.getResponse().getHeader("Call-ID").toString()).contains("a84b4c76e66710@pc33.example.com");
            assertThat(listener.responses.poll(300, TimeUnit.MILLISECONDS)).as("the ping's answer is not the listener's")
                    .isNull();
            assertThat(tap.takenFromDatagrams()).isEqualTo(1);
        }
    }

    @Test
    void closingReleasesThePortsAndEndsTheStacksThreads() throws Exception {
        int port = StackLeftovers.freePort();
        StackLeftovers leftovers = StackLeftovers.threadsBefore();
        SipEndpoint endpoint = SipEndpoint.open(SipStackSettings.defaults("endpoint-" + port).toProperties(),
                LOOPBACK, List.of(new Transport("udp", port), new Transport("tcp", port)), listener);

        endpoint.close();
        endpoint.close();

        assertThat(leftovers.threadsAfter("endpoint-" + port)).isEmpty();
        assertThat(StackLeftovers.bindsUdp(port)).isTrue();
        assertThat(StackLeftovers.bindsTcp(port)).isTrue();
    }

    @Test
    void aTakenTcpPortFailsTheOpeningAndReleasesTheUdpPortAlreadyOpen() throws Exception {
        int port = StackLeftovers.freePort();
        StackLeftovers leftovers = StackLeftovers.threadsBefore();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {

            assertThatThrownBy(() -> SipEndpoint.open(SipStackSettings.defaults("endpoint-" + port).toProperties(),
                    LOOPBACK, List.of(new Transport("udp", port), new Transport("tcp", port)), listener))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot listen for SIP on 127.0.0.1:" + port + " (TCP): ")
                    .hasMessageContaining("Address already in use");

            assertThat(leftovers.threadsAfter("endpoint-" + port)).isEmpty();
            assertThat(StackLeftovers.bindsUdp(port)).isTrue();
        }
    }

    @Test
    void aTakenUdpPortFailsTheOpeningAndLeavesNothing() throws Exception {
        int port = StackLeftovers.freePort();
        StackLeftovers leftovers = StackLeftovers.threadsBefore();
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {

            assertThatThrownBy(() -> SipEndpoint.open(SipStackSettings.defaults("endpoint-" + port).toProperties(),
                    LOOPBACK, List.of(new Transport("udp", port), new Transport("tcp", port)), listener))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot listen for SIP on 127.0.0.1:" + port + " (UDP): ");

            assertThat(leftovers.threadsAfter("endpoint-" + port)).isEmpty();
            assertThat(StackLeftovers.bindsTcp(port)).isTrue();
        }
    }

    @Test
    void opensAgainOnThePortOnceItIsFree() throws Exception {
        int port = StackLeftovers.freePort();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> SipEndpoint.open(SipStackSettings.defaults("endpoint-" + port).toProperties(),
                    LOOPBACK, List.of(new Transport("udp", port), new Transport("tcp", port)), listener))
                    .isInstanceOf(IllegalStateException.class);
        }

        try (SipEndpoint endpoint = SipEndpoint.open(SipStackSettings.defaults("endpoint-" + port).toProperties(),
                LOOPBACK, List.of(new Transport("udp", port), new Transport("tcp", port)), listener)) {
            assertThat(endpoint.provider("tcp").getListeningPoint("tcp").getPort()).isEqualTo(port);
        }
    }

    @Test
    void describesTransportsWithTheirPorts() {
        assertThat(SipEndpoint.describe(List.of(new Transport("udp", 5060), new Transport("TCP", 5060),
                new Transport("tls", 5061)))).isEqualTo("UDP 5060, TCP 5060, TLS 5061");
    }

    private static final class RecordingListener implements SipListener {
        final BlockingQueue<RequestEvent> requests = new ArrayBlockingQueue<>(8);
        final BlockingQueue<ResponseEvent> responses = new ArrayBlockingQueue<>(8);

        @Override
        public void processRequest(RequestEvent event) {
            requests.offer(event);
        }

        @Override
        public void processResponse(ResponseEvent event) {
            responses.offer(event);
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
