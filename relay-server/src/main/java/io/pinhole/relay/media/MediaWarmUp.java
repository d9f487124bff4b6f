package io.pinhole.relay.media;

import io.netty.channel.Channel;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards RTP and RTCP through scratch streams before the relay takes calls, so the JIT compiles
 * the media path (Netty's epoll read and write, {@link ForwardingHandler} with its {@link MediaStun} check,
 * {@link Forwarding}, {@link UdpEgress}) while nothing waits for it. Measured at 50,000 packets/s on
 * a relay pinned to one core: C2 was still compiling that path 10 s into the traffic, on the core
 * that forwards, the likely source of the multi-millisecond p99.
 *
 * <p>A stream is two {@link Endpoint}s linked and bound on a media loop like a call's, facing two
 * plain sockets of this class on the media address (loopback when that is a wildcard): each sends
 * to its endpoint and reads what the other sent. Streams follow one another on the same ports, so
 * the latching of a new stream's first packets is compiled too. No registry ever sees the
 * endpoints, so nothing lists or counts them; their sockets are closed, and awaited, before
 * {@link #run} returns. Mostly one datagram per read, as 50 packets/s per stream gives, now and
 * then a burst for the batched read and write; one RTCP report in a hundred packets, so that
 * branch is compiled rather than left as a trap.
 */
public final class MediaWarmUp {

    private static final Logger log = LoggerFactory.getLogger(MediaWarmUp.class);

    /** Never more than this, however busy the JIT still is; the time limit usually ends it first. */
    public static final long MAX_PACKETS = 200_000;
    /**
     * At least this many (both directions), then a trickle until the JIT has been quiet for
     * {@link #JIT_QUIET_NANOS}: measured on a relay pinned to one busy core, 38,000 packets in 2 s
     * left C2 still compiling the forwarding path (or not yet started on it) when real traffic came.
     */
    static final long MIN_PACKETS = 50_000;
    static final long JIT_QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long TRICKLE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Packets per scratch stream before the next is bound: new streams latch, as new calls do. */
    static final long STREAM_PACKETS = 2_000;
    private static final int BURST = 16;
    private static final int RTP_SIZE = 172; // G.711 at 20 ms: 12-byte header, 160 bytes of audio
    private static final int READ_TIMEOUT_MILLIS = 50;
    /**
     * Nothing at all came back in this long: the path is broken, not slow. A JVM that forwards its
     * first packet ever took 0.6 s for it on 2 busy cores (class loading, the interpreter).
     */
    private static final long SILENCE_NANOS = TimeUnit.SECONDS.toNanos(3);

    /** What the warm-up did: packets forwarded (both directions), time taken, and why it stopped early, if it did. */
    public record Outcome(long packets, long millis, String failure) {
    }

    private final MediaTransport transport;

    public MediaWarmUp(MediaTransport transport) {
        this.transport = transport;
    }

    /**
     * Forwards packets through scratch streams until {@code maxPackets} came through, or at least
     * {@link #MIN_PACKETS} did and the JIT has compiled nothing for {@link #JIT_QUIET_NANOS}, or
     * {@code limitNanos} passed. Blocking; never on a media loop. The ports are the caller's to give
     * back once this returns (their sockets are closed then).
     */
    public Outcome run(int portA, int portB, LatchPolicy policy, long limitNanos, long maxPackets) {
        long start = System.nanoTime();
        long deadline = start + limitNanos;
        long jitStart = jitMillis();
        InetAddress local = transport.bindAddress().isAnyLocalAddress()
                ? InetAddress.getLoopbackAddress() : transport.bindAddress();
        Progress progress = new Progress(start, jitStart);
        String failure = null;
        try (DatagramSocket phoneA = new DatagramSocket(new InetSocketAddress(local, 0));
             DatagramSocket phoneB = new DatagramSocket(new InetSocketAddress(local, 0))) {
            phoneA.setSoTimeout(READ_TIMEOUT_MILLIS);
            phoneB.setSoTimeout(READ_TIMEOUT_MILLIS);
            Phone toA = new Phone(phoneA, 0x5741524d);
            Phone toB = new Phone(phoneB, 0x55505550);
            long minPackets = Math.min(MIN_PACKETS, maxPackets);
            while (failure == null && !progress.done(deadline, minPackets, maxPackets)) {
                failure = stream(portA, portB, policy, local, toA, toB, progress, deadline, minPackets, maxPackets);
            }
        } catch (IOException e) {
            failure = "scratch socket: " + e.getMessage();
        }
        return done(new Outcome(progress.packets, millisSince(start), failure), jitStart);
    }

    /**
     * One scratch stream, bound, used for {@link #STREAM_PACKETS} and closed: a new stream's first
     * packets take the latching branch, as every real call's do, so C2 compiles it rather than
     * leaving a trap that the first real calls would spring.
     *
     * @return why it failed, or null
     */
    private String stream(int portA, int portB, LatchPolicy policy, InetAddress local, Phone toA, Phone toB,
                          Progress progress, long deadline, long minPackets, long maxPackets) throws IOException {
        Endpoint a = new Endpoint(portA, transport.nextLoop(), policy);
        Endpoint b = new Endpoint(portB, a.loop(), policy);
        Endpoint.link(a, b);
        List<Endpoint> failed = transport.bind(List.of(a, b));
        try {
            if (!failed.isEmpty()) {
                return "could not bind media port " + failed.get(0).rtpPort();
            }
            // each side's media goes to its phone's socket: RTP and RTCP alike (no a=rtcp, one socket)
            a.remote(toA.address(), toA.address(), false, false);
            b.remote(toB.address(), toB.address(), false, false);
            toA.target(new InetSocketAddress(local, a.rtpPort()), new InetSocketAddress(local, a.rtcpPort()));
            toB.target(new InetSocketAddress(local, b.rtpPort()), new InetSocketAddress(local, b.rtcpPort()));
            long streamEnd = progress.packets + STREAM_PACKETS;
            for (int round = 0; progress.packets < streamEnd; round++) {
                if (progress.done(deadline, minPackets, maxPackets)) {
                    return null;
                }
                if (progress.silentFor() > SILENCE_NANOS) {
                    return "no packet came through in " + TimeUnit.NANOSECONDS.toMillis(SILENCE_NANOS) + " ms";
                }
                // mostly one datagram a read, as 50 packets/s a stream gives; now and then a batch
                int burst = round % 32 == 31 ? BURST : 1;
                for (int i = 0; i < burst; i++) {
                    toA.send();
                    toB.send();
                }
                // A's packets come out at B and B's at A; a lost one only costs a read timeout
                progress.heard(toB.receive(burst) + toA.receive(burst));
                if (progress.packets >= minPackets) {
                    // past C2's thresholds: what is left is the compile queue, and on a relay pinned to
                    // one core the compiler threads need that core; a trickle still reaches late thresholds
                    LockSupport.parkNanos(TRICKLE_PAUSE_NANOS);
                }
            }
            return null;
        } finally {
            // what bind() gave up on it closed itself; the rest is closed here
            for (Endpoint e : List.of(a, b)) {
                if (!failed.contains(e)) {
                    close(e);
                }
            }
        }
    }

    /** Packets so far, when one last came through, and when the JIT last compiled something. */
    private static final class Progress {

        long packets;
        private long lastHeard;
        private long jitMillis;
        private long jitChanged;

        Progress(long now, long jitMillis) {
            this.lastHeard = now;
            this.jitMillis = jitMillis;
            this.jitChanged = now;
        }

        void heard(int count) {
            if (count > 0) {
                packets += count;
                lastHeard = System.nanoTime();
            }
        }

        long silentFor() {
            return System.nanoTime() - lastHeard;
        }

        boolean done(long deadline, long minPackets, long maxPackets) {
            long now = System.nanoTime();
            if (now - deadline >= 0 || packets >= maxPackets) {
                return true;
            }
            long jit = jitMillis();
            if (jit != jitMillis) {
                jitMillis = jit;
                jitChanged = now;
            }
            // without JIT figures (-1 throughout) the packet count alone decides
            return packets >= minPackets && (jit < 0 || now - jitChanged > JIT_QUIET_NANOS);
        }
    }

    private static Outcome done(Outcome outcome, long jitStart) {
        long jit = jitMillis();
        String compiled = jit < 0 || jitStart < 0 ? "" : ", JIT compiler threads busy " + (jit - jitStart) + " ms meanwhile";
        if (outcome.failure() == null) {
            log.info("relay media warm-up: {} packets forwarded in {} ms{}", outcome.packets(), outcome.millis(), compiled);
        } else {
            log.warn("relay media warm-up stopped after {} packets: {}; the first calls' media meets a cold JVM",
                    outcome.packets(), outcome.failure());
        }
        return outcome;
    }

    /** Closes both sockets of a scratch endpoint and waits for it, so its ports are free when this returns. */
    private static void close(Endpoint e) {
        for (Channel c : new Channel[] {e.rtpChannel(), e.rtcpChannel()}) {
            if (c != null) {
                c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** The JVM's total JIT time so far (ms), or -1 when it does not say. */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** One scratch phone: sends RTP (and now and then an RTCP sender report) to its endpoint, reads what comes back. */
    private static final class Phone {

        private final DatagramSocket socket;
        private final byte[] rtpBytes = new byte[RTP_SIZE];
        private final byte[] srBytes = new byte[28]; // RFC 3550 sender report, no report blocks
        private final DatagramPacket rtp = new DatagramPacket(rtpBytes, rtpBytes.length);
        private final DatagramPacket rtcp = new DatagramPacket(srBytes, srBytes.length);
        private final DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
        private int sent;

        Phone(DatagramSocket socket, int ssrc) {
            this.socket = socket;
            rtpBytes[0] = (byte) 0x80; // V=2
            rtpBytes[1] = 0; // PCMU
            putInt(rtpBytes, 8, ssrc);
            srBytes[0] = (byte) 0x80;
            srBytes[1] = (byte) 200;
            srBytes[3] = 6; // length in 32-bit words minus one
            putInt(srBytes, 4, ssrc);
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        /** The relay ports this phone sends to from now on. */
        void target(InetSocketAddress rtpPort, InetSocketAddress rtcpPort) {
            rtp.setSocketAddress(rtpPort);
            rtcp.setSocketAddress(rtcpPort);
        }

        void send() throws IOException {
            sent++;
            if (sent % 100 == 0) {
                socket.send(rtcp);
                return;
            }
            rtpBytes[2] = (byte) (sent >> 8);
            rtpBytes[3] = (byte) sent;
            putInt(rtpBytes, 4, sent * 160);
            socket.send(rtp);
        }

        /** Reads up to {@code count} datagrams; stops at the first read timeout. */
        int receive(int count) throws IOException {
            int got = 0;
            try {
                for (; got < count; got++) {
                    in.setLength(2048);
                    socket.receive(in);
                }
            } catch (SocketTimeoutException e) {
                // lost on the way (a full socket buffer): the next round goes on
            }
            return got;
        }

        private static void putInt(byte[] b, int offset, int value) {
            b[offset] = (byte) (value >>> 24);
            b[offset + 1] = (byte) (value >>> 16);
            b[offset + 2] = (byte) (value >>> 8);
            b[offset + 3] = (byte) value;
        }
    }
}
