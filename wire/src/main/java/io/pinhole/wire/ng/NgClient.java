package io.pinhole.wire.ng;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks rtpengine's ng protocol to one relay: {@code <cookie> <bencoded dict>} over UDP,
 * matched back by cookie. Sends never block; a command is retransmitted with the same cookie
 * (the relay answers a duplicate from its reply cache) until the time limit, then fails with
 * a timeout.
 *
 * <p>Two layers: {@link #exchange} moves raw bodies under a given cookie (tests use it for
 * malformed input), {@link #send} adds the secret, a fresh cookie and the bencode codec.
 * Strings go out and come back as UTF-8: the proxy builds SDP as Java text, and the relay
 * returns the bytes it got unchanged.
 */
public final class NgClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NgClient.class);
    private static final Charset CHARSET = StandardCharsets.UTF_8;

    private record Pending(CompletableFuture<byte[]> result, ByteBuffer datagram, long sentNanos, long deadlineNanos) {
    }

    /** Weight of the newest round trip in the smoothed one (1/8, as TCP's SRTT). */
    private static final int EWMA_SHIFT = 3;
    /** The shortest round trip is remembered for one to two of these: the path's own delay, without queues. */
    private static final long BASE_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(60);
    /**
     * Lateness counts only while this many replies came in the last window, or this many commands
     * are in flight: only then is it our own load queueing at the relay, which refusing calls
     * relieves. A lone slow answer (a relay still compiling its code, a pause) is not overload:
     * the first calls on a fresh relay were refused for it.
     */
    static final int MIN_LOAD = 16;

    private final InetSocketAddress relay;
    private final String secret;
    private final Duration timeout;
    private final Duration retransmit;
    private final ScheduledExecutorService timer;
    private final DatagramChannel channel;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final String cookiePrefix = Long.toHexString(System.nanoTime() & 0xffffffL);
    private final AtomicLong sequence = new AtomicLong();
    /** {@link System#nanoTime()} of the last ICMP port unreachable, {@link Long#MIN_VALUE} before any. */
    private volatile long unreachableAt = Long.MIN_VALUE;
    // Round trips as the proxy sees them (first send to the reply read): written by the receiver thread only.
    private volatile long smoothedRoundTripNanos;
    private volatile long lastReplyNanos = Long.MIN_VALUE;
    private volatile long baseNanos = Long.MAX_VALUE;
    private long baseThisPeriod = Long.MAX_VALUE;
    private long basePeriodStart = System.nanoTime();
    // Replies counted per second: the one running and the last complete one (receiver thread writes).
    private volatile long countStart = System.nanoTime();
    private volatile int countThis;
    private volatile int countLast;

    /**
     * @param secret  sent as {@code secret} in every {@link #send} command; null or empty for none
     * @param timeout how long a command may wait for its reply, retransmitted every quarter of it (at least 50 ms)
     * @param timer   runs the retransmissions; owned by the caller
     */
    public NgClient(InetSocketAddress relay, String secret, Duration timeout, ScheduledExecutorService timer) {
        this.relay = relay;
        this.secret = secret == null || secret.isEmpty() ? null : secret;
        this.timeout = timeout;
        this.retransmit = Duration.ofMillis(Math.max(50, timeout.toMillis() / 4));
        this.timer = timer;
        try {
            channel = DatagramChannel.open(relay.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            // Replies to a burst of commands wait in the socket while the receiver catches up.
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.connect(relay);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open ng socket to " + relay, e);
        }
        Thread receiver = new Thread(this::receive, "ng-" + relay.getHostString() + ":" + relay.getPort());
        receiver.setDaemon(true);
        receiver.start();
    }

    public InetSocketAddress relay() {
        return relay;
    }

    /**
     * When ({@link System#nanoTime()}) the relay's host last answered a datagram with ICMP port
     * unreachable, {@link Long#MIN_VALUE} if it never did. The socket is connected, so the kernel
     * reports that to it: nothing listens on the relay's ng port any more, its process is gone
     * (a process only stopped or starved of CPU keeps its socket and gets no such answer).
     */
    public long unreachableAt() {
        return unreachableAt;
    }

    /** Sends one command; completes with the relay's reply dictionary, or fails with {@link NgException}. */
    public CompletableFuture<Map<String, Object>> send(Map<String, Object> command) {
        // copied only to add the secret: the encoder sorts the keys anyway, and the copy cost as much as the encoding
        Map<String, Object> dict = command;
        if (secret != null) {
            dict = new HashMap<>(command);
            dict.put("secret", secret);
        }
        // Completed directly (not by thenApply) so a caller sees the NgException itself, not a CompletionException.
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        exchange(nextCookie(), BencodeWriter.encode(dict, CHARSET)).whenComplete((body, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
                return;
            }
            try {
                result.complete(reply(body));
            } catch (NgException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** {@code ping}: completes when the relay answers {@code pong}. */
    public CompletableFuture<Void> ping() {
        return send(Map.of("command", "ping")).thenAccept(reply -> {
            if (!"pong".equals(reply.get("result"))) {
                throw new NgException("ping reply from " + relay + " is " + reply.get("result"), false);
            }
        });
    }

    /**
     * {@code list}: the Call-IDs the relay holds, at most {@code limit} of them (rtpengine's own
     * default is 32). The whole reply is one datagram: past about 64 KB of Call-IDs neither
     * rtpengine nor our relay can send it, and the command times out.
     */
    public CompletableFuture<List<String>> list(int limit) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("command", "list");
        command.put("limit", limit);
        return send(command).thenApply(reply -> {
            if (!(reply.get("calls") instanceof List<?> calls)) {
                throw new NgException("list reply from " + relay + " has no calls", false);
            }
            return calls.stream().map(String::valueOf).toList();
        });
    }

    /**
     * Sends {@code cookie + " " + body}, retransmitted until the deadline; completes with the
     * reply's body (what follows the cookie), or fails with a timeout {@link NgException}.
     */
    public CompletableFuture<byte[]> exchange(String cookie, byte[] body) {
        ByteBuffer datagram = ByteBuffer.wrap(NgDatagram.frame(cookie, body));
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        long now = System.nanoTime();
        pending.put(cookie, new Pending(result, datagram, now, now + timeout.toNanos()));
        transmit(cookie);
        return result;
    }

    /** A cookie unique to this client (and, by its random prefix, to this run). */
    public String nextCookie() {
        return cookiePrefix + "_" + sequence.incrementAndGet();
    }

    private Map<String, Object> reply(byte[] body) {
        Map<String, Object> reply;
        try {
            reply = BencodeReader.decodeDictionary(body, 0, body.length, CHARSET);
        } catch (BencodeException e) {
            throw new NgException("unreadable ng reply from " + relay + ": " + e.getMessage(), false);
        }
        if ("error".equals(reply.get("result"))) {
            throw new NgException(String.valueOf(reply.get("error-reason")), false);
        }
        return reply;
    }

    private void transmit(String cookie) {
        Pending p = pending.get(cookie);
        if (p == null) {
            return;
        }
        if (System.nanoTime() >= p.deadlineNanos()) {
            pending.remove(cookie);
            p.result().completeExceptionally(new NgException("relay " + relay + " did not answer within " + timeout, true));
            return;
        }
        try {
            channel.write(p.datagram().duplicate());
        } catch (IOException e) {
            // ICMP port unreachable surfaces here on a connected socket: keep trying until the deadline.
            noteUnreachable(e);
            LOG.debug("ng send to {} failed: {}", relay, e.toString());
        }
        long wait = Math.min(retransmit.toNanos(), Math.max(0, p.deadlineNanos() - System.nanoTime()));
        ScheduledFuture<?> ignored = timer.schedule(() -> transmit(cookie), wait, TimeUnit.NANOSECONDS);
    }

    private void receive() {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                channel.receive(buffer);
                buffer.flip();
                complete(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // Port unreachable from a dead relay: the pending commands time out on their own.
                noteUnreachable(e);
                sleepQuietly();
            } catch (RuntimeException e) {
                LOG.warn("unreadable ng reply from {}: {}", relay, e.toString());
            }
        }
    }

    private void complete(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        int space = NgDatagram.cookieEnd(bytes, bytes.length);
        if (space < 0) {
            LOG.warn("ng reply from {} has no cookie", relay);
            return;
        }
        Pending p = pending.remove(NgDatagram.cookie(bytes, space));
        if (p == null) {
            return; // a late duplicate of a reply already taken
        }
        noteRoundTrip(System.nanoTime() - p.sentNanos());
        p.result().complete(Arrays.copyOfRange(bytes, space + 1, bytes.length));
    }

    /** On the receiver thread only. */
    private void noteRoundTrip(long nanos) {
        long now = System.nanoTime();
        long smoothed = smoothedRoundTripNanos;
        smoothedRoundTripNanos = lastReplyNanos == Long.MIN_VALUE ? nanos : smoothed + ((nanos - smoothed) >> EWMA_SHIFT);
        lastReplyNanos = now;
        if (now - countStart >= TimeUnit.SECONDS.toNanos(1)) {
            countLast = now - countStart >= TimeUnit.SECONDS.toNanos(2) ? 0 : countThis;
            countThis = 0;
            countStart = now;
        }
        countThis++;
        if (now - basePeriodStart >= BASE_PERIOD_NANOS) { // the previous period's shortest stays one more period
            basePeriodStart = now;
            baseNanos = Math.min(baseThisPeriod, nanos);
            baseThisPeriod = nanos;
        } else {
            baseThisPeriod = Math.min(baseThisPeriod, nanos);
            baseNanos = Math.min(baseNanos, nanos);
        }
    }

    /**
     * How long this relay's answers wait in queues, in nanoseconds: the larger of the smoothed round
     * trip of the replies of the last {@code window} (first send to reply read, so a relay starved of
     * CPU, its socket's queue and our receiver's lag all count) and the age two commands still
     * unanswered have reached (a relay that has stopped answering sends no slow replies to smooth;
     * one lost datagram is not counted), less the
     * shortest round trip of the last one to two minutes: the path's own delay, so a relay far
     * away is not taken for a late one. 0 for a relay that never answered, and while fewer than
     * {@value #MIN_LOAD} replies came in the last second and fewer are in flight. Walks the commands in flight: call it a few times a second,
     * not per message.
     */
    public long delayNanos(long window) {
        if (baseNanos == Long.MAX_VALUE) {
            return 0; // never answered: a relay not there (yet) is the pool's to find down, not a late one
        }
        long now = System.nanoTime();
        boolean replying = recentReplies(now) >= MIN_LOAD;
        long smoothed = replying && now - lastReplyNanos <= window ? smoothedRoundTripNanos : 0;
        if (!replying && pending.size() < MIN_LOAD) {
            return 0; // too few commands to be queueing behind each other: not load we could shed
        }
        long oldest = 0;
        long second = 0; // one lost datagram (retransmitted after a quarter of the timeout) is not a late relay
        for (Pending p : pending.values()) {
            long age = now - p.sentNanos();
            if (age > oldest) {
                second = oldest;
                oldest = age;
            } else if (age > second) {
                second = age;
            }
        }
        return Math.max(0, Math.max(smoothed, second) - baseNanos);
    }

    /** Replies in about the last second (the running second's and the last complete one's). */
    private int recentReplies(long now) {
        long age = now - countStart;
        if (age >= TimeUnit.SECONDS.toNanos(2)) {
            return 0; // no reply for over a second: both counts are stale
        }
        return age >= TimeUnit.SECONDS.toNanos(1) ? countThis : Math.max(countLast, countThis);
    }

    private void noteUnreachable(IOException e) {
        if (e instanceof PortUnreachableException) {
            unreachableAt = System.nanoTime();
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
        pending.values().forEach(p -> p.result().completeExceptionally(new NgException("ng client closed", false)));
        pending.clear();
    }
}
