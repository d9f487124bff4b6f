package io.pinhole.proxy.relay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pinhole.proxy.database.DatabaseStatus;
import io.pinhole.proxy.media.MediaPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The liveness watch against a relay on a real ng socket that answers pings, then falls silent. */
class RelayWatchTest {

    private static final FailoverProperties SETTINGS = new FailoverProperties(true, Duration.ofMillis(100), 3, 200);

    private final PingAnswerer relay = new PingAnswerer();
    // the pool's own health pings hourly: only the watch pings during a test (and the pool's one
    // ping of a relay joining it, which reads what it serves)
    private final RelayPool pool = new RelayPool(new RelayRepository(null) {
        @Override
        public List<RelayRow> enabled() {
            return List.of();
        }
    }, new RelayProperties(MediaPolicy.AUTO, "127.0.0.1:" + relay.port(), "", Duration.ofMillis(300),
            Duration.ofHours(1), Duration.ofHours(1), List.of()), new DatabaseStatus(Clock.systemUTC()));
    private final List<Relay> dead = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RelayWatch watch = new RelayWatch(pool, SETTINGS, dead::add, meters);

    @AfterEach
    void stop() throws InterruptedException {
        watch.close();
        pool.close();
        relay.close();
    }

    @Test
    void anAnsweringRelayStaysAlive() throws InterruptedException {
        Relay carrying = pool.acquire().orElseThrow();

        Thread.sleep(1000);

        assertThat(dead).isEmpty();
        assertThat(carrying.up()).isTrue();
        assertThat(relay.pings.get()).as("about one ping per 100 ms").isBetween(5, 12);
    }

    @Test
    void aSilentRelayIsFoundDeadWithinTheBoundAndReportedOnce() throws InterruptedException {
        Relay carrying = pool.acquire().orElseThrow();
        Thread.sleep(300);

        long silentAt = System.nanoTime();
        relay.silent = true;
        eventually(Duration.ofSeconds(2), () -> !dead.isEmpty(), "the relay reported dead");
        long tookMillis = (System.nanoTime() - silentAt) / 1_000_000;

        // (misses + 1) × interval, and a little for the scheduler on a busy machine
        assertThat(tookMillis).isLessThanOrEqualTo(SETTINGS.worstDetection().toMillis() + 150);
        assertThat(tookMillis).as("not before three pings went unanswered").isGreaterThanOrEqualTo(250);
        assertThat(carrying.up()).as("out of the pool").isFalse();
        assertThat(carrying.lastProblem().reason()).contains("3 pings in a row unanswered");
        assertThat(pool.acquire()).as("no relay for new calls").isEmpty();
        Thread.sleep(500);
        assertThat(dead).containsExactly(carrying);
        assertThat(meters.get("pinhole.relay.deaths").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aRelayWithoutOurCallsIsNotPinged() throws InterruptedException {
        // the pool asks a relay joining it once what it serves; the watch itself leaves it alone
        eventually(Duration.ofSeconds(2), () -> relay.pings.get() == 1, "the pool's first ping");
        relay.pings.set(0);
        Thread.sleep(600);

        assertThat(relay.pings.get()).isZero();
        assertThat(dead).isEmpty();
    }

    /** Answers every ng ping with pong until told to fall silent. */
    private static final class PingAnswerer implements AutoCloseable {
        private final DatagramSocket socket;
        final AtomicInteger pings = new AtomicInteger();
        volatile boolean silent;

        PingAnswerer() {
            try {
                socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            } catch (SocketException e) {
                throw new IllegalStateException(e);
            }
            Thread thread = new Thread(this::serve, "ping-answerer");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            byte[] buffer = new byte[2048];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                    socket.receive(in);
                    String text = new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII);
                    int space = text.indexOf(' ');
                    if (space <= 0 || !text.contains("4:ping")) {
                        continue;
                    }
                    pings.incrementAndGet();
                    if (silent) {
                        continue;
                    }
                    byte[] reply = (text.substring(0, space) + " d6:result4:ponge").getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
                } catch (Exception e) {
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
