package io.pinhole.proxy.relay;

import io.pinhole.proxy.database.DatabaseStatus;
import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.MediaPolicy;
import io.pinhole.proxy.media.MediaTransport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the admin API relies on: draining keeps a relay's calls but gives it no new one, a new
 * weight keeps the relay, and a relay leaving the pool keeps its ng client until its last call
 * of ours is released.
 */
class RelayPoolTest {

    private final List<RelayRepository.RelayRow> rows = new ArrayList<>();
    private final RelayRepository repository = new RelayRepository(null) {
        @Override
        public List<RelayRepository.RelayRow> enabled() {
            return List.copyOf(rows);
        }
    };
    private DatagramSocket relayA;
    private DatagramSocket relayB;
    private RelayPool pool;

    @BeforeEach
    void start() throws IOException {
        relayA = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        relayB = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        rows.add(row(1, relayA, 1, false));
        rows.add(row(2, relayB, 1, false));
        // no pings or timed reloads during a test: each reload is the test's own
        pool = new RelayPool(repository, new RelayProperties(MediaPolicy.AUTO, "127.0.0.1:9", "", Duration.ofMillis(300),
                Duration.ofHours(1), Duration.ofHours(1), List.of()), new DatabaseStatus(Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        pool.close();
        relayA.close();
        relayB.close();
    }

    @Test
    void drainingRelayGetsNoNewCallButKeepsItsOwn() {
        Relay a = pool.acquire().orElseThrow();
        assertThat(a.id()).isEqualTo(1L);

        rows.set(0, row(1, relayA, 1, true));
        pool.reload();

        assertThat(pool.relays()).contains(a);
        assertThat(a.draining()).isTrue();
        assertThat(pool.acquire().orElseThrow().id()).isEqualTo(2L);
        assertThat(pool.acquire().orElseThrow().id()).isEqualTo(2L);
        assertThat(a.active()).isEqualTo(1);
        assertThat(reaches(a, relayA)).isTrue();

        rows.set(0, row(1, relayA, 1, false));
        pool.reload();
        assertThat(pool.acquire().orElseThrow().id()).isEqualTo(1L); // 1 call per weight beats B's 2
    }

    @Test
    void newWeightKeepsTheRelayAndItsCallCount() {
        Relay a = pool.acquire().orElseThrow();

        rows.set(0, row(1, relayA, 3, false));
        pool.reload();

        assertThat(pool.byId(1)).containsSame(a);
        assertThat(a.weight()).isEqualTo(3);
        assertThat(a.active()).isEqualTo(1);
        assertThat(reaches(a, relayA)).isTrue();
    }

    @Test
    void relayLeavingThePoolIsKeptUntilItsLastCallIsReleased() {
        Relay a = pool.acquire().orElseThrow();
        rows.remove(0);
        pool.reload();

        assertThat(pool.relays()).extracting(Relay::id).containsExactly(2L);
        assertThat(pool.byId(1)).containsSame(a);
        assertThat(reaches(a, relayA)).as("a call on it still reaches it").isTrue();

        pool.release(a);

        assertThat(pool.byId(1)).isEmpty();
        assertThat(reaches(a, relayA)).as("closed once its calls are gone").isFalse();
    }

    @Test
    void relayWithoutCallsLeavesAtOnce() {
        Relay b = pool.relays().get(1);
        rows.remove(1);
        pool.reload();

        assertThat(pool.byId(2)).isEmpty();
        assertThat(reaches(b, relayB)).isFalse();
    }

    @Test
    void relayBackBeforeItsCallsEndedIsTheSameRelay() {
        Relay a = pool.acquire().orElseThrow();
        RelayRepository.RelayRow rowA = rows.remove(0);
        pool.reload();
        rows.add(0, rowA);
        pool.reload();

        assertThat(pool.relays()).contains(a);
        pool.release(a);
        assertThat(reaches(a, relayA)).isTrue();
    }

    /**
     * What each relay serves comes from its pong: a call needing TLS media gets the relay that
     * serves it even when the other carries fewer calls, and the planner is told what the pool serves.
     */
    @Test
    void callNeedingAStreamTransportGetsARelayServingIt() {
        Relay a = pool.relays().get(0);
        Relay b = pool.relays().get(1);
        pool.learn(b, Map.of("result", "pong", "transports", List.of(Map.of("transport", "udp"),
                Map.of("transport", "tls", "port", 443L))));
        pool.acquire(Set.of(MediaTransport.TLS)).orElseThrow();

        assertThat(b.transports()).containsExactlyInAnyOrder(MediaTransport.UDP, MediaTransport.TLS);
        assertThat(a.transports()).containsExactly(MediaTransport.UDP);
        assertThat(pool.acquire(Set.of(MediaTransport.TLS))).containsSame(b); // 2 calls on B, none on A
        assertThat(pool.acquire(Set.of(MediaTransport.HTTP))).as("nobody serves HTTP").isEmpty();
        assertThat(pool.acquire()).containsSame(a);
        assertThat(pool.capabilities().offers()).containsExactlyInAnyOrder(MediaPath.RELAY_UDP, MediaPath.RELAY_TCP,
                MediaPath.PUNCH);

        pool.markDown(b, "ping: no answer");
        assertThat(pool.acquire(Set.of(MediaTransport.TLS))).as("the one serving it is down").isEmpty();
        assertThat(pool.available()).isTrue();

        pool.learn(b, Map.of("result", "pong")); // became an rtpengine: UDP only
        assertThat(pool.capabilities().offers()).containsExactlyInAnyOrder(MediaPath.RELAY_UDP, MediaPath.PUNCH);
    }

    /**
     * A new call goes to a relay marked down only when none is up: one whose ng replies were starved
     * of CPU for a moment is then still tried instead of every call failing; moves never fall back.
     */
    @Test
    void newCallTriesARelayMarkedDownOnlyWhenNoneIsUp() {
        Relay a = pool.relays().get(0);
        Relay b = pool.relays().get(1);
        pool.markDown(a, "3 commands in a row unanswered");
        assertThat(pool.acquireForNewCall(Set.of())).as("the relay that is up").containsSame(b);
        assertThat(pool.otherUp(a, Set.of())).isTrue();

        pool.markDown(b, "ping: no answer");
        assertThat(pool.acquire(Set.of())).as("relays that are up only").isEmpty();
        assertThat(pool.acquireOther(b, Set.of())).as("a move never falls back").isEmpty();
        assertThat(pool.otherUp(a, Set.of())).isFalse();
        assertThat(pool.acquireForNewCall(Set.of())).as("the least loaded of those marked down").containsSame(a);
        assertThat(pool.acquireForNewCall(Set.of(MediaTransport.TLS))).as("none serves TLS").isEmpty();

        rows.set(0, row(1, relayA, 1, true));
        pool.reload();
        assertThat(pool.acquireForNewCall(Set.of())).as("never a draining one").containsSame(b);
        assertThat(a.active()).isEqualTo(1);
        assertThat(b.active()).isEqualTo(2);
    }

    @Test
    void markDownKeepsTheReason() {
        Relay a = pool.relays().get(0);
        pool.markDown(a, "ping: no answer");

        assertThat(a.up()).isFalse();
        assertThat(a.lastProblem().reason()).isEqualTo("ping: no answer");
        assertThat(a.lastProblem().at()).isNotNull();
        assertThat(pool.acquire().orElseThrow().id()).isEqualTo(2L);
    }

    /**
     * Re-reading the relays table waits on the database while it is away (a connection timeout):
     * meanwhile the calls' ng commands must still be retransmitted and time out on time.
     */
    @Test
    void ngCommandsTimeOutOnTimeWhileTheRelaysTableHangs() throws Exception {
        CountDownLatch hanging = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RelayRepository stuck = new RelayRepository(null) {
            private final AtomicInteger reads = new AtomicInteger();

            @Override
            public List<RelayRepository.RelayRow> enabled() {
                if (reads.incrementAndGet() > 1) { // the start-up read passes, the timed reload hangs
                    hanging.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return List.copyOf(rows);
            }
        };
        RelayPool hangingPool = new RelayPool(stuck, new RelayProperties(MediaPolicy.AUTO, "127.0.0.1:9", "",
                Duration.ofMillis(300), Duration.ofHours(1), Duration.ofMillis(50), List.of()),
                new DatabaseStatus(Clock.systemUTC()));
        try {
            assertThat(hanging.await(5, TimeUnit.SECONDS)).as("the timed reload started").isTrue();
            long start = System.nanoTime();
            var unanswered = hangingPool.acquire().orElseThrow().client().send(Map.of("command", "ping"));

            assertThatThrownBy(() -> unanswered.get(3, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("did not answer");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        } finally {
            release.countDown();
            hangingPool.close();
        }
    }

    private static RelayRepository.RelayRow row(long id, DatagramSocket socket, int weight, boolean draining) {
        return new RelayRepository.RelayRow(id, "relay-" + id, "127.0.0.1", socket.getLocalPort(), weight, draining);
    }

    /** Whether an ng command from the relay's client arrives at its socket (a closed client sends nothing). */
    private static boolean reaches(Relay relay, DatagramSocket socket) {
        try {
            // retransmissions of an earlier command (300 ms limit) must not count for this one
            socket.setSoTimeout(400);
            while (true) {
                socket.receive(new DatagramPacket(new byte[2048], 2048));
            }
        } catch (SocketTimeoutException e) {
            // quiet now
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        relay.client().send(Map.of("command", "ping")).exceptionally(e -> null);
        try {
            socket.setSoTimeout(500);
            socket.receive(new DatagramPacket(new byte[2048], 2048));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
