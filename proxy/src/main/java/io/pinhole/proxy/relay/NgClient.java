package io.pinhole.proxy.relay;

import com.dampcake.bencode.Bencode;
import com.dampcake.bencode.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Talks rtpengine's ng protocol to one relay: {@code <cookie> <bencoded dict>} over UDP,
 * matched back by cookie. Sends never block; a command is retransmitted with the same cookie
 * (the relay answers a duplicate from its reply cache) until the time limit, then fails with
 * a timeout.
 */
public final class NgClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NgClient.class);
    private static final Bencode BENCODE = new Bencode(StandardCharsets.UTF_8);

    private record Pending(CompletableFuture<Map<String, Object>> result, ByteBuffer datagram, long deadlineNanos) {
    }

    private final InetSocketAddress relay;
    private final String secret;
    private final Duration timeout;
    private final Duration retransmit;
    private final ScheduledExecutorService timer;
    private final DatagramChannel channel;
    private final Thread receiver;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final String cookiePrefix = Long.toHexString(System.nanoTime() & 0xffffffL);
    private final AtomicLong sequence = new AtomicLong();

    public NgClient(InetSocketAddress relay, String secret, Duration timeout, ScheduledExecutorService timer) {
        this.relay = relay;
        this.secret = secret == null || secret.isEmpty() ? null : secret;
        this.timeout = timeout;
        this.retransmit = Duration.ofMillis(Math.max(50, timeout.toMillis() / 4));
        this.timer = timer;
        try {
            channel = DatagramChannel.open(relay.getAddress() instanceof java.net.Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            // Replies to a burst of commands wait in the socket while the receiver catches up.
            channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.connect(relay);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open ng socket to " + relay, e);
        }
        receiver = new Thread(this::receive, "ng-" + relay.getHostString() + ":" + relay.getPort());
        receiver.setDaemon(true);
        receiver.start();
    }

    public InetSocketAddress relay() {
        return relay;
    }

    /** Sends one command; completes with the relay's reply dictionary, or fails with {@link NgException}. */
    public CompletableFuture<Map<String, Object>> send(Map<String, Object> command) {
        String cookie = cookiePrefix + "_" + sequence.incrementAndGet();
        Map<String, Object> dict = new LinkedHashMap<>(command);
        if (secret != null) {
            dict.put("secret", secret);
        }
        byte[] body = BENCODE.encode(dict);
        byte[] prefix = (cookie + " ").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer datagram = ByteBuffer.allocate(prefix.length + body.length).put(prefix).put(body).flip();
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        pending.put(cookie, new Pending(result, datagram, System.nanoTime() + timeout.toNanos()));
        transmit(cookie);
        return result;
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
                sleepQuietly();
            } catch (RuntimeException e) {
                LOG.warn("unreadable ng reply from {}: {}", relay, e.toString());
            }
        }
    }

    private void complete(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        int space = indexOf(bytes, (byte) ' ');
        if (space <= 0) {
            LOG.warn("ng reply from {} has no cookie", relay);
            return;
        }
        String cookie = new String(bytes, 0, space, StandardCharsets.US_ASCII);
        Pending p = pending.remove(cookie);
        if (p == null) {
            return; // a late duplicate of a reply already taken
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, space + 1, bytes.length);
        Map<String, Object> reply = BENCODE.decode(body, Type.DICTIONARY);
        Object result = reply.get("result");
        if ("error".equals(result)) {
            p.result().completeExceptionally(new NgException(String.valueOf(reply.get("error-reason")), false));
        } else {
            p.result().complete(reply);
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
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
