package io.pinhole.wire.ng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ng client against a fake relay on a real loopback socket. */
class NgClientTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private FakeRelay relay;
    private NgClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        if (relay != null) {
            relay.close();
        }
        timer.shutdownNow();
    }

    @Test
    void sendsCookieAndSecretAndReadsTheReplyAsUtf8() throws Exception {
        relay = new FakeRelay(command -> Map.of("result", "ok", "sdp", command.get("sdp")));
        client = new NgClient(relay.address(), "s3cret", Duration.ofSeconds(2), timer);

        Map<String, Object> reply = client.send(Map.of("command", "offer", "sdp", "s=caf\u00e9")).get(2, TimeUnit.SECONDS);

        assertThat(reply).containsEntry("result", "ok").containsEntry("sdp", "s=caf\u00e9");
        Received first = relay.received.get(0);
        assertThat(first.cookie()).matches("[0-9a-f]+_1");
        assertThat(first.command()).containsEntry("secret", "s3cret").containsEntry("command", "offer");
        // UTF-8 on the wire: the relay passes these bytes through unchanged
        assertThat(first.body()).containsSubsequence("s=caf\u00e9".getBytes(StandardCharsets.UTF_8));
    }

    /** Admission's measure of a relay starved of CPU: its answers late compared with its own earlier ones. */
    @Test
    void answersLaterThanTheRelaysShortestRoundTripCountAsDelay() throws Exception {
        java.util.concurrent.atomic.AtomicLong serviceMillis = new java.util.concurrent.atomic.AtomicLong();
        relay = new FakeRelay(command -> {
            sleep(serviceMillis.get());
            return Map.of("result", "pong");
        });
        client = new NgClient(relay.address(), null, Duration.ofSeconds(5), timer);
        long window = TimeUnit.SECONDS.toNanos(1);
        for (int i = 0; i < 5; i++) {
            client.ping().get(2, TimeUnit.SECONDS);
        }
        assertThat(client.delayNanos(window)).as("prompt answers").isLessThan(TimeUnit.MILLISECONDS.toNanos(50));

        // 40 commands at once to a relay taking 10 ms over each, one at a time: they queue, the
        // last answered 400 ms after it was sent
        serviceMillis.set(10);
        List<CompletableFuture<?>> burst = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            burst.add(client.ping());
        }
        for (var reply : burst) {
            reply.get(2, TimeUnit.SECONDS);
        }
        assertThat(client.delayNanos(window)).as("answers queued at the relay, smoothed")
                .isBetween(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(1000));

        Thread.sleep(1100);
        assertThat(client.delayNanos(window)).as("no answer in the last second: nothing to smooth, nothing waits").isZero();
    }

    @Test
    void slowAnswersWithoutLoadAreNotLateness() throws Exception {
        java.util.concurrent.atomic.AtomicLong serviceMillis = new java.util.concurrent.atomic.AtomicLong();
        relay = new FakeRelay(command -> {
            sleep(serviceMillis.get());
            return Map.of("result", "pong");
        });
        client = new NgClient(relay.address(), null, Duration.ofSeconds(5), timer);
        long window = TimeUnit.SECONDS.toNanos(1);
        for (int i = 0; i < 5; i++) {
            client.ping().get(2, TimeUnit.SECONDS);
        }
        // a fresh relay's first offers, still compiling its code: each takes 700 ms
        serviceMillis.set(700);
        var first = client.ping();
        var second = client.ping();
        Thread.sleep(500);
        assertThat(client.delayNanos(window)).as("two commands waiting 500 ms, nothing else sent").isZero();
        first.get(2, TimeUnit.SECONDS);
        second.get(2, TimeUnit.SECONDS);
        assertThat(client.delayNanos(window)).as("two slow answers are not a queue of ours").isZero();
    }

    @Test
    void commandsLeftUnansweredCountAsDelayFromTheSecondOn() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean answering = new java.util.concurrent.atomic.AtomicBoolean(true);
        relay = new FakeRelay(command -> answering.get() ? Map.of("result", "pong") : null);
        client = new NgClient(relay.address(), null, Duration.ofSeconds(5), timer);
        long window = TimeUnit.SECONDS.toNanos(1);
        client.ping().get(2, TimeUnit.SECONDS);
        answering.set(false);
        Thread.sleep(1100); // the answered ping's round trip leaves the window

        for (int i = 0; i < NgClient.MIN_LOAD; i++) {
            client.ping();
        }
        Thread.sleep(300);
        // the second oldest's age less the shortest round trip seen (the first ping's, a few ms on loopback)
        assertThat(client.delayNanos(window)).as("%d unanswered for 300 ms", NgClient.MIN_LOAD)
                .isBetween(TimeUnit.MILLISECONDS.toNanos(250), TimeUnit.MILLISECONDS.toNanos(1000));
    }

    @Test
    void aRelayThatNeverAnsweredIsNotLateButAbsent() throws Exception {
        relay = new FakeRelay(command -> null);
        client = new NgClient(relay.address(), null, Duration.ofSeconds(5), timer);
        client.ping();
        client.ping();
        Thread.sleep(300);

        assertThat(client.delayNanos(TimeUnit.SECONDS.toNanos(1))).as("the pool marks it down; admission does not refuse for it")
                .isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void retransmitsUnderTheSameCookieUntilAnswered() throws Exception {
        relay = new FakeRelay(command -> Map.of("result", "pong"));
        relay.drop = 2;
        client = new NgClient(relay.address(), null, Duration.ofMillis(2000), timer);

        client.ping().get(3, TimeUnit.SECONDS);

        assertThat(relay.received).hasSize(3);
        assertThat(relay.received).extracting(Received::cookie).containsOnly(relay.received.get(0).cookie());
        assertThat(relay.received.get(0).command()).doesNotContainKey("secret");
    }

    @Test
    void failsWithATimeoutWhenTheRelayNeverAnswers() throws Exception {
        relay = new FakeRelay(command -> null);
        client = new NgClient(relay.address(), null, Duration.ofMillis(300), timer);

        CompletableFuture<Map<String, Object>> reply = client.send(Map.of("command", "ping"));

        assertThatThrownBy(() -> reply.get(3, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(NgException.class, e -> {
                    assertThat(e.timeout()).isTrue();
                    assertThat(e.getMessage()).contains("did not answer within");
                });
        assertThat(relay.received.size()).isGreaterThan(1); // retransmitted before giving up
    }

    @Test
    void notesThePortUnreachableOfARelayWhoseSocketClosedButNotOfASilentOne() throws Exception {
        relay = new FakeRelay(command -> null); // silent: its socket stays open
        client = new NgClient(relay.address(), null, Duration.ofMillis(300), timer);
        client.send(Map.of("command", "ping")).handle((reply, error) -> null).get(3, TimeUnit.SECONDS);
        assertThat(client.unreachableAt()).as("a silent relay's host sends no ICMP").isEqualTo(Long.MIN_VALUE);

        relay.close(); // the process gone: the kernel answers with ICMP port unreachable
        long closedAt = System.nanoTime();
        client.send(Map.of("command", "ping")).handle((reply, error) -> null).get(3, TimeUnit.SECONDS);

        assertThat(client.unreachableAt()).as("ICMP port unreachable noted").isGreaterThanOrEqualTo(closedAt);
    }

    @Test
    void failsWithTheRelaysReasonOnAnErrorReply() throws Exception {
        relay = new FakeRelay(command -> Map.of("result", "error", "error-reason", "Unknown call-id"));
        client = new NgClient(relay.address(), null, Duration.ofSeconds(2), timer);

        CompletableFuture<Map<String, Object>> reply = client.send(Map.of("command", "delete", "call-id", "x"));

        // the NgException itself, not wrapped: callers test `cause instanceof NgException`
        assertThat(reply).failsWithin(Duration.ofSeconds(2)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(NgException.class, e -> {
                    assertThat(e.timeout()).isFalse();
                    assertThat(e.getMessage()).isEqualTo("Unknown call-id");
                });
    }

    @Test
    void failsAtOnceOnAnUnreadableReply() throws Exception {
        relay = new FakeRelay(command -> Map.of("result", "ok"));
        relay.corrupt = true;
        client = new NgClient(relay.address(), null, Duration.ofSeconds(10), timer);

        assertThat(client.send(Map.of("command", "ping"))).failsWithin(Duration.ofSeconds(2))
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOfSatisfying(NgException.class, e -> {
                    assertThat(e.timeout()).isFalse();
                    assertThat(e.getMessage()).contains("unreadable ng reply");
                });
    }

    @Test
    void listsCallIds() throws Exception {
        relay = new FakeRelay(command -> Map.of("result", "ok", "calls", List.of("a@x", "b@x")));
        client = new NgClient(relay.address(), null, Duration.ofSeconds(2), timer);

        assertThat(client.list(32).get(2, TimeUnit.SECONDS)).containsExactly("a@x", "b@x");
        assertThat(relay.received.get(0).command()).containsEntry("limit", 32L);
    }

    @Test
    void framesDatagramsAsCookieSpaceBody() {
        byte[] datagram = NgDatagram.frame("c1", "d4:pingi1ee".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(datagram, StandardCharsets.US_ASCII)).isEqualTo("c1 d4:pingi1ee");
        assertThat(NgDatagram.cookieEnd(datagram, datagram.length)).isEqualTo(2);
        assertThat(NgDatagram.cookie(datagram, 2)).isEqualTo("c1");
        assertThat(NgDatagram.cookieEnd(datagram, 2)).as("no space within the length").isEqualTo(-1);
        byte[] noCookie = " d4:pingi1ee".getBytes(StandardCharsets.US_ASCII);
        assertThat(NgDatagram.cookieEnd(noCookie, noCookie.length)).isEqualTo(-1);
    }

    @Test
    void exchangesRawBodiesUnderAGivenCookie() throws Exception {
        relay = new FakeRelay(command -> Map.of("result", "pong"));
        client = new NgClient(relay.address(), null, Duration.ofSeconds(2), timer);

        byte[] reply = client.exchange("mine", "d7:command4:pinge".getBytes(StandardCharsets.US_ASCII))
                .get(2, TimeUnit.SECONDS);

        assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("d6:result4:ponge");
        assertThat(relay.received.get(0).cookie()).isEqualTo("mine");
    }

    private record Received(String cookie, byte[] body, Map<String, Object> command) {
    }

    /** Answers each command with what {@code answer} gives (null: no answer), after dropping the first {@link #drop}. */
    private static final class FakeRelay implements AutoCloseable {
        final List<Received> received = new CopyOnWriteArrayList<>();
        volatile int drop;
        volatile boolean corrupt;
        private final DatagramSocket socket;
        private final Function<Map<String, Object>, Map<String, Object>> answer;

        FakeRelay(Function<Map<String, Object>, Map<String, Object>> answer) throws IOException {
            this.answer = answer;
            this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            Thread thread = new Thread(this::serve, "fake-ng-relay");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        private void serve() {
            byte[] buffer = new byte[65536];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                    socket.receive(in);
                    int space = NgDatagram.cookieEnd(in.getData(), in.getLength());
                    String cookie = NgDatagram.cookie(in.getData(), space);
                    byte[] body = Arrays.copyOfRange(in.getData(), space + 1, in.getLength());
                    Map<String, Object> command = BencodeReader.decodeDictionary(body, 0, body.length, StandardCharsets.UTF_8);
                    received.add(new Received(cookie, body, command));
                    if (drop > 0) {
                        drop--;
                        continue;
                    }
                    Map<String, Object> reply = answer.apply(command);
                    if (reply != null) {
                        byte[] encoded = corrupt ? "d6:result".getBytes(StandardCharsets.US_ASCII)
                                : BencodeWriter.encode(reply, StandardCharsets.UTF_8);
                        byte[] out = NgDatagram.frame(cookie, encoded);
                        socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
                    }
                } catch (IOException | BencodeException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
