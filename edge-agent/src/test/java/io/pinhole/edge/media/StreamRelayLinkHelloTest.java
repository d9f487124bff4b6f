package io.pinhole.edge.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A TCP or TLS media link over real sockets to a relay stand-in that accepts the connection and
 * then answers nothing, neither the hello nor the TLS handshake: the link must give up on the
 * connection within its hello bound, say so, and connect again.
 */
class StreamRelayLinkHelloTest {

    private static final String TOKEN = "AbCdEfGhIjKlMnOpQrStUv";
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final MediaSession session = new MediaSession("hello-call", group.next());
    private final BlockingQueue<String> broken = new LinkedBlockingQueue<>();
    /** When each connection was accepted and when the agent closed it (System.nanoTime()). */
    private final BlockingQueue<long[]> closedConnections = new LinkedBlockingQueue<>();
    private final BlockingQueue<Long> accepted = new LinkedBlockingQueue<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private ServerSocket server;
    private StreamRelayLink link;

    @AfterEach
    void stop() throws IOException {
        if (link != null) {
            link.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    /** Accepts and reads whatever comes, answering nothing, until the client closes. */
    private void silentRelay() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    long at = System.nanoTime();
                    accepted.add(at);
                    sockets.add(s);
                    Thread reader = new Thread(() -> {
                        try (InputStream in = s.getInputStream()) {
                            while (in.read() >= 0) {
                                // the hello, or a TLS ClientHello: read and left unanswered
                            }
                        } catch (IOException gone) {
                            // reset instead of closed: the same for the test
                        }
                        closedConnections.add(new long[] {at, System.nanoTime()});
                    });
                    reader.setDaemon(true);
                    reader.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private void assertGivesUpWithinTheBoundAndConnectsAgain(SslContext tls, String describe) throws Exception {
        silentRelay();
        link = new StreamRelayLink(session, "127.0.0.1", server.getLocalPort(), TOKEN, tls, broken::add,
                Duration.ofMillis(1000));
        link.start();

        String why = broken.poll(10, TimeUnit.SECONDS);
        assertThat(why).as("the link must give up on a connection whose hello has no answer").isNotNull();
        assertThat(why).startsWith(describe + " to relay 127.0.0.1:" + server.getLocalPort())
                .contains("no OK to its hello within 1000 ms of connecting");
        long[] first = closedConnections.poll(5, TimeUnit.SECONDS);
        assertThat(first).as("the agent closed the connection").isNotNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(first[1] - first[0])).as("the 1 s hello bound").isBetween(900L, 2000L);

        accepted.poll(1, TimeUnit.SECONDS); // the first connection
        Long again = accepted.poll(5, TimeUnit.SECONDS);
        assertThat(again).as("connected again").isNotNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(again - first[1])).as("a second later").isBetween(800L, 2500L);
    }

    @Test
    void aTcpConnectionWhoseHelloIsNeverAnsweredIsBrokenAndOpenedAgain() throws Exception {
        assertGivesUpWithinTheBoundAndConnectsAgain(null, "TCP");
    }

    @Test
    void aTlsConnectionWhoseHandshakeIsNeverAnsweredIsBrokenAndOpenedAgain() throws Exception {
        SslContext tls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        assertGivesUpWithinTheBoundAndConnectsAgain(tls, "TLS");
    }
}
