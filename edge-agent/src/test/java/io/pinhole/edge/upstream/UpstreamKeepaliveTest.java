package io.pinhole.edge.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.nio.NioEventLoopGroup;
import io.pinhole.edge.sip.Hop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's RFC 5626 keepalives on its SIP connection, over real sockets: a server socket stands
 * in for the proxy's SIP port (plain TCP; TLS changes nothing here) and plays the proxy's part.
 * The intervals are shortened (a ping every 200 ms, 300 ms for its answer) so each test takes
 * seconds, not the 30 s of the real interval.
 */
class UpstreamKeepaliveTest {

    private static final String PING = "\r\n\r\n";
    private static final String PONG = "\r\n";
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final ServerSocket proxy;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private UpstreamLink link;

    UpstreamKeepaliveTest() throws IOException {
        proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws IOException {
        if (link != null) {
            link.stop();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        proxy.close();
    }

    private Socket connect(Duration keepalive) throws IOException {
        link = new UpstreamLink(group.next(), "127.0.0.1", proxy.getLocalPort(), null, null, new UpstreamLink.Listener() {
            @Override
            public void connected(Hop local) {
                events.add("connected");
            }

            @Override
            public void message(byte[] message) {
                events.add("message");
            }

            @Override
            public void disconnected() {
                events.add("disconnected");
            }
        }, keepalive, Duration.ofMillis(300));
        link.start();
        proxy.setSoTimeout(5000);
        Socket s = proxy.accept();
        s.setSoTimeout(5000);
        return s;
    }

    private static String read(Socket s, int n) throws IOException {
        return new String(s.getInputStream().readNBytes(n), StandardCharsets.US_ASCII);
    }

    private static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Whether the agent closes the connection within {@code millis}, reading (and leaving
     * unanswered) whatever it sends meanwhile; false when it is still open then.
     */
    private static boolean closesWithin(Socket s, long millis) throws IOException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        InputStream in = s.getInputStream();
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            s.setSoTimeout((int) left);
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException stillOpen) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        }
    }

    @Test
    void sendsAKeepaliveEveryInterval() throws Exception {
        try (Socket s = connect(Duration.ofMillis(200))) {
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                assertThat(read(s, 4)).isEqualTo(PING);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("three pings at 200 ms")
                    .isBetween(300L, 1500L);
        }
    }

    @Test
    void aConnectionWhosePingsAreAnsweredStaysUp() throws Exception {
        try (Socket s = connect(Duration.ofMillis(200))) {
            for (int i = 0; i < 10; i++) { // two seconds, each ping answered at once
                assertThat(read(s, 4)).isEqualTo(PING);
                write(s, PONG);
            }
            assertThat(read(s, 4)).as("still pinging over the same connection").isEqualTo(PING);
            assertThat(events).containsExactly("connected");
        }
    }

    @Test
    void oncePingsWereAnsweredAnUnansweredOneClosesTheConnectionAndTheAgentConnectsAgain() throws Exception {
        try (Socket s = connect(Duration.ofMillis(200))) {
            assertThat(read(s, 4)).isEqualTo(PING);
            write(s, PONG);
            assertThat(read(s, 4)).isEqualTo(PING); // left unanswered
            long unanswered = System.nanoTime();
            assertThat(closesWithin(s, 3000)).as("closed for the missing answer").isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - unanswered)).as("300 ms to answer")
                    .isBetween(250L, 1500L);

            try (Socket again = proxy.accept()) {
                assertThat(again.isConnected()).isTrue();
            }
            assertThat(events.poll(1, TimeUnit.SECONDS)).isEqualTo("connected");
            assertThat(events.poll(1, TimeUnit.SECONDS)).isEqualTo("disconnected");
            assertThat(events.poll(3, TimeUnit.SECONDS)).as("connected again").isEqualTo("connected");
        }
    }

    @Test
    void aProxyThatNeverAnswersPingsIsNotTakenForDead() throws Exception {
        // RFC 5626 keepalive answers are optional for a proxy that never sent one: no answer proves nothing
        try (Socket s = connect(Duration.ofMillis(200))) {
            for (int i = 0; i < 8; i++) {
                assertThat(read(s, 4)).isEqualTo(PING);
            }
            assertThat(closesWithin(s, 500)).isFalse();
            assertThat(events).containsExactly("connected");
        }
    }

    @Test
    void answersTheProxysPingWithCrlf() throws Exception {
        try (Socket s = connect(Duration.ofSeconds(60))) { // no ping of the agent's own in between
            write(s, PING);
            assertThat(read(s, 2)).isEqualTo(PONG);
            assertThat(closesWithin(s, 300)).as("nothing more than the answer").isFalse();
            write(s, PING);
            assertThat(read(s, 2)).isEqualTo(PONG);
        }
    }
}
