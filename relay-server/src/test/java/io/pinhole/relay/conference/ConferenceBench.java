package io.pinhole.relay.conference;

import io.pinhole.relay.RelayServer;
import io.pinhole.relay.config.RelayProperties;
import io.pinhole.relay.support.NgClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/conference: how many parties one relay core mixes with no late tick (rooms of 3 and of
 * 10), and the one-way latency the mix adds next to plain relaying. The relay runs in this JVM
 * (its conference loop is one thread: one core); phones are non-blocking UDP sockets driven by
 * one sender and one receiver thread. Run by {@code bench/conference/run.sh}.
 */
public final class ConferenceBench {

    private static final Pattern PORT = Pattern.compile("m=audio (\\d+) ");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public static void main(String[] args) throws Exception {
        int stepSeconds = Integer.parseInt(System.getProperty("bench.seconds", "5"));
        RelayProperties p = RelayProperties.defaults().withControl("127.0.0.1", 0)
                .withPorts(42000, 49999, Duration.ZERO).withMediaThreads(1).withWarmUp(0).withStun(0, 0, "")
                .withStreams(0, 0).withHttp(0, Duration.ofMillis(100), 64)
                .withConferences(1000, 10_000, 3);
        try (RelayServer relay = new RelayServer(p); NgClient ng = new NgClient(relay.controlAddress())) {
            System.out.println("conference mixer capacity: one conference loop (one core), " + stepSeconds
                    + " s per step; late = a tick started > 10 ms after its deadline (of " + 50 * stepSeconds
                    + "); load average at start " + loadAverage());
            System.out.println("room_size\tparties\tlate_ticks\tmean_tick_us\tmax_tick_us\tus_per_party\t"
                    + "frames_out_per_s\tzero_late");
            for (int size : new int[] {3, 10}) {
                int best = 0;
                double usPerParty = 0;
                for (int parties : PARTY_STEPS) {
                    int n = parties / size * size;
                    Step s = capacity(relay, ng, size, n, stepSeconds);
                    usPerParty = s.meanTickNanos / 1000.0 / n;
                    System.out.printf("%d\t%d\t%d\t%d\t%d\t%.2f\t%.0f\t%s%n", size, n, s.late,
                            s.meanTickNanos / 1000, s.maxTickNanos / 1000, usPerParty, s.framesPerSecond,
                            s.late == 0 ? "yes" : "no");
                    if (s.late == 0 && s.framesPerSecond > 0.95 * n * 50) {
                        best = n;
                    }
                    if (s.framesPerSecond < 0.9 * n * 50) {
                        break; // the generator or the relay cannot keep up: larger steps say nothing
                    }
                }
                System.out.printf("rooms of %d: largest step with 0 late ticks %d parties; tick cost %.2f us per party"
                        + " = %.0f parties per core at a full 20 ms tick%n", size, best, usPerParty,
                        usPerParty > 0 ? 20_000 / usPerParty : 0);
            }
            latency(relay, ng);
        }
    }

    private static final int[] PARTY_STEPS = {30, 120, 300, 600, 1200};

    private record Step(long late, long meanTickNanos, long maxTickNanos, double framesPerSecond) {
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static String offer(int port) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 0\r\na=sendrecv\r\n";
    }

    private static Map<String, Object> req(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static int port(Map<String, Object> reply) {
        Matcher m = PORT.matcher(String.valueOf(reply.get("sdp")));
        if (!m.find()) {
            throw new IllegalStateException("no media port in " + reply);
        }
        return Integer.parseInt(m.group(1));
    }

    private static Step capacity(RelayServer relay, NgClient ng, int size, int n, int seconds) throws Exception {
        List<DatagramChannel> phones = new ArrayList<>();
        List<InetSocketAddress> targets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DatagramChannel c = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
            c.configureBlocking(false);
            phones.add(c);
            Map<String, Object> reply = ng.call(req("command", "join", "call-id", "bench-" + i, "from-tag", "t",
                    "room", "bench-room-" + (i / size), "sdp", offer(c.socket().getLocalPort())));
            targets.add(new InetSocketAddress(LOOPBACK, port(reply)));
        }
        Generator gen = new Generator(phones, targets, -1);
        gen.start();
        Thread.sleep(1500);
        relay.resetMixFigures();
        long received0 = gen.received;
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long received = gen.received - received0;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        Step s = new Step(relay.mixClock().lateTicks(), relay.mixClock().meanTickNanos(),
                relay.mixClock().maxTickNanos(), received / elapsed);
        gen.stop();
        for (int i = 0; i < n; i++) {
            ng.call(req("command", "delete", "call-id", "bench-" + i));
            phones.get(i).close();
        }
        Thread.sleep(300);
        return s;
    }

    /** One-way latency of a loud frame from A to B: through a 2-party room, then through a plain relayed call. */
    private static void latency(RelayServer relay, NgClient ng) throws Exception {
        int seconds = Integer.parseInt(System.getProperty("bench.latency-seconds", "12"));
        long[] mix = measure(ng, true, seconds);
        long[] plain = measure(ng, false, seconds);
        System.out.println("one-way latency A->B, loud 20 ms frame every 200 ms, " + seconds + " s each (us)");
        System.out.println("path\tsamples\tp50_us\tp99_us");
        System.out.printf("plain relay\t%d\t%d\t%d%n", plain.length, pct(plain, 50), pct(plain, 99));
        System.out.printf("conference mix\t%d\t%d\t%d%n", mix.length, pct(mix, 50), pct(mix, 99));
        System.out.printf("added by the mix: p50 %d us, p99 %d us (jitter buffer %d frames)%n",
                pct(mix, 50) - pct(plain, 50), pct(mix, 99) - pct(plain, 99), 3);
        System.out.println("Asterisk (ConfBridge) and FreeSWITCH (mod_conference) are not packaged in Debian 12:"
                + " no side-by-side figures for them here.");
    }

    private static long pct(long[] v, int p) {
        if (v.length == 0) {
            return -1;
        }
        return v[Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1)];
    }

    private static long[] measure(NgClient ng, boolean conference, int seconds) throws Exception {
        DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        DatagramChannel b = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        a.configureBlocking(false);
        b.configureBlocking(false);
        InetSocketAddress toA;
        InetSocketAddress toB;
        if (conference) {
            toA = new InetSocketAddress(LOOPBACK, port(ng.call(req("command", "join", "call-id", "lat-a", "from-tag",
                    "t", "room", "latency", "sdp", offer(a.socket().getLocalPort())))));
            toB = new InetSocketAddress(LOOPBACK, port(ng.call(req("command", "join", "call-id", "lat-b", "from-tag",
                    "t", "room", "latency", "sdp", offer(b.socket().getLocalPort())))));
        } else {
            // A's packets enter at the port in the answer A gets, B's at the port in the offer B gets
            String viaB = (String) ng.call(req("command", "offer", "call-id", "lat-call", "from-tag", "fa",
                    "sdp", offer(a.socket().getLocalPort()))).get("sdp");
            String viaA = (String) ng.call(req("command", "answer", "call-id", "lat-call", "from-tag", "fa",
                    "to-tag", "fb", "sdp", offer(b.socket().getLocalPort()))).get("sdp");
            toA = new InetSocketAddress(LOOPBACK, port(Map.of("sdp", viaA)));
            toB = new InetSocketAddress(LOOPBACK, port(Map.of("sdp", viaB)));
        }
        Generator gen = new Generator(List.of(a, b), List.of(toA, toB), 0);
        gen.start();
        Thread.sleep(1500); // join tones, priming, latching
        gen.latencies.clear();
        gen.recordLatency = true;
        Thread.sleep(seconds * 1000L);
        gen.stop();
        if (conference) {
            ng.call(req("command", "delete", "call-id", "lat-a"));
            ng.call(req("command", "delete", "call-id", "lat-b"));
        } else {
            ng.call(req("command", "delete", "call-id", "lat-call"));
        }
        a.close();
        b.close();
        long[] out;
        synchronized (gen.latencies) {
            out = gen.latencies.stream().mapToLong(Long::longValue).toArray();
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * Sends a 20 ms PCMU frame from every phone every 20 ms, and counts what comes back. With
     * {@code loudPhone} ≥ 0 that phone's every 10th frame is loud (the rest silence) and the
     * others record when a loud frame reaches them.
     */
    private static final class Generator {
        private final List<DatagramChannel> phones;
        private final List<InetSocketAddress> targets;
        private final int loudPhone;
        private final Thread sender;
        private final Thread receiver;
        private final Selector selector;
        private volatile boolean running = true;
        private volatile long lastLoudNanos;
        volatile boolean recordLatency;
        volatile long received;
        final List<Long> latencies = new ArrayList<>();

        Generator(List<DatagramChannel> phones, List<InetSocketAddress> targets, int loudPhone) throws Exception {
            this.phones = phones;
            this.targets = targets;
            this.loudPhone = loudPhone;
            this.selector = Selector.open();
            for (DatagramChannel c : phones) {
                c.register(selector, SelectionKey.OP_READ);
            }
            this.sender = new Thread(this::send, "bench-send");
            this.receiver = new Thread(this::receive, "bench-receive");
        }

        void start() {
            sender.start();
            receiver.start();
        }

        void stop() throws Exception {
            running = false;
            sender.join();
            selector.wakeup();
            receiver.join();
            selector.close();
        }

        private void send() {
            ByteBuffer quiet = frame((byte) 0xFF);
            ByteBuffer loud = frame((byte) 0x80);
            long next = System.nanoTime();
            int seq = 0;
            while (running) {
                boolean loudNow = loudPhone >= 0 && seq % 10 == 0;
                for (int i = 0; i < phones.size(); i++) {
                    ByteBuffer f = (i == loudPhone && loudNow ? loud : quiet).duplicate();
                    f.putShort(2, (short) seq).putInt(4, seq * 160).putInt(8, i + 1);
                    if (i == loudPhone && loudNow) {
                        lastLoudNanos = System.nanoTime();
                    }
                    try {
                        phones.get(i).send(f, targets.get(i));
                    } catch (Exception e) {
                        // counted by what does not come back
                    }
                }
                seq++;
                next += 20_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        private static ByteBuffer frame(byte fill) {
            byte[] b = new byte[172];
            b[0] = (byte) 0x80;
            Arrays.fill(b, 12, 172, fill);
            return ByteBuffer.wrap(b);
        }

        private void receive() {
            ByteBuffer buf = ByteBuffer.allocate(2048);
            boolean wasLoud = false;
            while (running) {
                try {
                    selector.select(100);
                    for (SelectionKey k : selector.selectedKeys()) {
                        DatagramChannel c = (DatagramChannel) k.channel();
                        while (true) {
                            buf.clear();
                            if (c.receive(buf) == null) {
                                break;
                            }
                            received++;
                            if (recordLatency && c != phones.get(Math.max(0, loudPhone)) && buf.position() >= 172) {
                                int v = G711.PCMU.decode(buf.get(12 + 80));
                                boolean loud = Math.abs(v) > 16000;
                                if (loud && !wasLoud) {
                                    synchronized (latencies) {
                                        latencies.add((System.nanoTime() - lastLoudNanos) / 1000);
                                    }
                                }
                                wasLoud = loud;
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                } catch (Exception e) {
                    return;
                }
            }
        }
    }
}
