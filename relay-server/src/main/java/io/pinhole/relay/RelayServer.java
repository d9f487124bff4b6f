package io.pinhole.relay;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.pinhole.relay.capture.RtcpCapture;
import io.pinhole.relay.call.CallRegistry;
import io.pinhole.relay.call.MediaTimeoutSweeper;
import io.pinhole.relay.call.OfferAnswer;
import io.pinhole.relay.conference.ConferenceSettings;
import io.pinhole.relay.conference.Conferences;
import io.pinhole.relay.conference.MediaClock;
import io.pinhole.relay.conference.UdpPartyPorts;
import io.pinhole.relay.config.RelayProperties;
import io.pinhole.relay.control.NgCommands;
import io.pinhole.relay.control.NgServer;
import io.pinhole.relay.control.NgWarmUp;
import io.pinhole.relay.media.LatchPolicy;
import io.pinhole.relay.media.MediaIo;
import io.pinhole.relay.media.MediaTransport;
import io.pinhole.relay.media.MediaWarmUp;
import io.pinhole.relay.ports.PortPool;
import io.pinhole.wire.net.IpLiteral;
import io.pinhole.relay.stats.RelayStatistics;
import io.pinhole.relay.stun.StunServer;
import io.pinhole.relay.stun.UdpSightings;
import io.pinhole.relay.tcp.HttpSessions;
import io.pinhole.relay.tcp.MediaPorts;
import io.pinhole.relay.tcp.StreamBinder;
import io.pinhole.relay.tcp.StreamLimits;
import io.pinhole.relay.tcp.StreamServer;
import io.pinhole.relay.tcp.TlsContexts;
import io.pinhole.wire.stun.BindingResponder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay assembled from its parts: port pool, media transport, call registry, STUN server,
 * TCP/TLS media ports, ng control socket, and the once-a-second tick (media timeouts, statistics)
 * on the control thread.
 * Usable without Spring (tests, benchmarks); the Spring app wraps it as a bean.
 */
public final class RelayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayServer.class);

    /** SOFTWARE in STUN answers: no version, which would only help someone pick an exploit. */
    private static final String STUN_SOFTWARE = "Pinhole relay";

    private final MediaTransport transport;
    private final StunServer stun;
    private final RtcpCapture rtcpCapture;
    private final EventLoopGroup controlGroup;
    private final StreamServer streams;
    private final NgServer control;
    private final RelayStatistics statistics = new RelayStatistics();
    private final ScheduledFuture<?> tick;
    private final MediaClock mixClock = new MediaClock(System::nanoTime);
    private Conferences conferences;

    public RelayServer(RelayProperties p) throws InterruptedException {
        this(p, null);
    }

    /** @param rtcpCapture where RTCP summaries go (SIP capture), or null for none; closed with the server */
    public RelayServer(RelayProperties p, RtcpCapture rtcpCapture) throws InterruptedException {
        this.rtcpCapture = rtcpCapture;
        InetAddress mediaBind = IpLiteral.parse(p.mediaAddress());
        InetAddress controlBind = IpLiteral.parse(p.controlAddress());
        if (mediaBind == null || controlBind == null || IpLiteral.parse(p.sdpAddress()) == null) {
            throw new IllegalArgumentException("pinhole.relay.control-address, media-address and advertised-address"
                    + " must be IP literals: " + p.controlAddress() + ", " + p.mediaAddress() + ", " + p.sdpAddress());
        }
        PortPool ports = new PortPool(p.portMin(), p.portMax(), p.portQuietPeriod().toNanos(), System::nanoTime);
        CallRegistry registry = new CallRegistry(ports);
        BindingResponder stunAnswers = new BindingResponder(STUN_SOFTWARE);
        UdpSightings sightings = new UdpSightings();
        this.transport = new MediaTransport(p.mediaIo(), mediaBind, p.mediaThreads(), p.maxDatagramSize(), p.readBatch(),
                stunAnswers, p.keepaliveInterval().toNanos());
        OfferAnswer offerAnswer = new OfferAnswer(registry, transport, p.sdpAddress(), p.relatchOnNewSsrc(),
                System::nanoTime, rtcpCapture == null ? callId -> null : rtcpCapture::tap);
        this.controlGroup = NgServer.controlGroup();
        EventLoop controlLoop = controlGroup.next();
        try {
            // before the warm-up: a port someone else holds fails start-up in a moment, not after it
            this.stun = p.stunPort() == 0 ? null : stunServer(p, mediaBind, stunAnswers, sightings);
        } catch (RuntimeException e) {
            transport.close();
            controlGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        try {
            this.streams = streamServer(p, mediaBind, registry, controlLoop, sightings);
        } catch (RuntimeException e) {
            if (stun != null) {
                stun.close();
            }
            transport.close();
            controlGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        try {
            warmUp(p, controlLoop, controlBind);
            EventLoop conferenceLoop = transport.conferenceLoop();
            this.conferences = new Conferences(
                    new ConferenceSettings(p.conferenceMaxParties(), p.conferenceMaxRooms(), p.conferenceJitterFrames()),
                    new UdpPartyPorts(ports, transport), conferenceLoop, mixClock, p.sdpAddress());
            this.control = new NgServer(controlLoop, new InetSocketAddress(controlBind, p.controlPort()),
                    NgCommands.table(offerAnswer, registry, statistics, p.strictSource(), streams.tcpPort(),
                            streams.tlsPort(), streams.httpPort(), conferences),
                    p.secret(), p.replyCacheTtl().toNanos(), System::nanoTime);
        } catch (RuntimeException | InterruptedException e) {
            streams.close();
            if (stun != null) {
                stun.close();
            }
            transport.close();
            controlGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        mixClock.start(transport.conferenceLoop());
        MediaTimeoutSweeper sweeper = new MediaTimeoutSweeper(registry, p.timeout().toNanos(),
                p.holdTimeout().toNanos());
        long periodMillis = Math.max(100, Math.min(1000, p.timeout().toMillis() / 4));
        this.tick = control.controlLoop().scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            sweeper.sweep(now);
            statistics.sample(registry, now);
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        log.info("relay: ng control on {}, media on {} ports {}-{} (advertised {}), {}, STUN {}, keepalives {},"
                        + " media over TCP {}, over TLS {}, over HTTP {}",
                control.localAddress(), p.mediaAddress(), p.portMin(), p.portMax(), p.sdpAddress(),
                transport.io().label(), stun == null ? "off" : "on " + stun.addresses(),
                p.keepaliveInterval().isZero() ? "off" : "every " + p.keepaliveInterval(),
                streams.tcpPort() == 0 ? "off" : "on port " + streams.tcpPort(),
                streams.tlsPort() == 0 ? "off" : "on port " + streams.tlsPort(),
                streams.httpPort() == 0 ? "off" : "on port " + streams.httpPort() + " (hold " + p.httpHold() + ")");
    }

    /** The TCP, TLS and HTTP media ports (any may be off); binds nothing when all are. */
    private StreamServer streamServer(RelayProperties p, InetAddress mediaBind, CallRegistry registry,
                                      EventLoop controlLoop, UdpSightings sightings) {
        StreamLimits limits = new StreamLimits(p.tcpHelloTimeout().toNanos(), p.tcpIdleTimeout().toNanos(),
                p.tcpMaxConnections(), p.tcpConnectionsPerCall(), p.maxDatagramSize());
        StreamBinder binder = new StreamBinder(registry, controlLoop, p.tcpConnectionsPerCall());
        HttpSessions sessions = new HttpSessions(binder, p.httpQueue(), p.tcpConnectionsPerCall(),
                p.httpHold().toNanos(), p.tcpIdleTimeout().toNanos());
        MediaPorts ports = MediaPorts.of(p);
        if (!ports.tlsNote().isEmpty()) {
            log.info(ports.tlsNote());
        }
        return new StreamServer(transport, mediaBind, ports,
                ports.tls().on() ? TlsContexts.server(p.tlsCertificate(), p.tlsPrivateKey(), p.sdpAddress()) : null,
                sessions, binder, limits, sightings);
    }

    /** The STUN server, its bind failure named by the settings that chose the sockets. */
    private static StunServer stunServer(RelayProperties p, InetAddress mediaBind, BindingResponder answers,
                                         UdpSightings sightings) {
        InetAddress alternate = p.stunAlternateAddress().isEmpty() ? null : IpLiteral.parse(p.stunAlternateAddress());
        try {
            return new StunServer(mediaBind, p.stunPort(), p.stunAlternatePort(), alternate, answers, sightings);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("pinhole.relay.stun-port " + p.stunPort() + ", stun-alternate-port "
                    + p.stunAlternatePort() + ", stun-alternate-address '" + p.stunAlternateAddress() + "': "
                    + e.getMessage() + " (stun-port=0 runs the relay without its STUN server)", e);
        }
    }

    /**
     * Before the control socket opens: calls of its own on real sockets, then media through a
     * scratch stream, counted nowhere, from a port pool of its own without quiet period, so the real
     * pool starts with every pair fresh.
     */
    private void warmUp(RelayProperties p, EventLoop controlLoop, InetAddress controlBind) throws InterruptedException {
        if (p.warmUpCalls() == 0 && p.mediaWarmUp().isZero()) {
            return;
        }
        PortPool ports = new PortPool(p.portMin(), p.portMax(), 0, System::nanoTime);
        if (p.warmUpCalls() > 0) {
            CallRegistry scratch = new CallRegistry(ports);
            OfferAnswer offerAnswer = new OfferAnswer(scratch, transport, p.sdpAddress(), p.relatchOnNewSsrc(),
                    System::nanoTime);
            new NgWarmUp(NgCommands.table(offerAnswer, scratch, new RelayStatistics(), p.strictSource()),
                    controlLoop, controlBind).run(p.warmUpCalls());
            // A deleted call's sockets close on the media loops: none may still hold a port a real call gets.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ports.inUse() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (ports.inUse() > 0) {
                log.warn("relay warm-up: {} port pairs still bound 5 s after its last call", ports.inUse());
            }
        }
        if (!p.mediaWarmUp().isZero()) {
            mediaWarmUp(p, ports);
        }
    }

    /** Media through a scratch stream on two pairs of the scratch pool; its sockets are closed when it returns. */
    private void mediaWarmUp(RelayProperties p, PortPool ports) {
        List<Integer> pairs = ports.allocate(2);
        if (pairs.isEmpty()) {
            log.warn("relay media warm-up skipped: no two free port pairs in {}-{}", p.portMin(), p.portMax());
            return;
        }
        try {
            new MediaWarmUp(transport).run(pairs.get(0), pairs.get(1),
                    new LatchPolicy(true, p.strictSource(), p.relatchOnNewSsrc()), p.mediaWarmUp().toNanos(),
                    MediaWarmUp.MAX_PACKETS);
        } finally {
            pairs.forEach(ports::release);
        }
    }

    public InetSocketAddress controlAddress() {
        return control.localAddress();
    }

    /** The conference mixer's clock (late ticks, tick time), for tests and benchmarks. */
    public MediaClock mixClock() {
        return mixClock;
    }

    /** Resets the mixer clock's figures on its own loop. */
    public void resetMixFigures() {
        mixClock.resetFigures(transport.conferenceLoop());
    }

    /** What the media sockets run on (after any fallback from {@code media-io}). */
    public MediaIo.Kind mediaIo() {
        return transport.io();
    }

    public RelayStatistics statistics() {
        return statistics;
    }

    /** The bound TCP media port, 0 when off. */
    public int tcpPort() {
        return streams.tcpPort();
    }

    /** The bound TLS media port, 0 when off. */
    public int tlsPort() {
        return streams.tlsPort();
    }

    /** The bound HTTP media port, 0 when off. */
    public int httpPort() {
        return streams.httpPort();
    }

    /** Packets dropped since start because an HTTP client's queue was full. */
    public long httpDroppedPackets() {
        return streams.httpDroppedPackets();
    }

    /** TCP, TLS and HTTP media connections open now. */
    public int streamConnections() {
        return streams.openConnections();
    }

    @Override
    public void close() {
        tick.cancel(false);
        mixClock.stop();
        control.close();
        // on the control thread, which owns the rooms; their last tasks run on the conference loop before it stops
        control.controlLoop().submit(conferences::closeAll).awaitUninterruptibly(5, TimeUnit.SECONDS);
        streams.close();
        if (stun != null) {
            stun.close();
        }
        transport.close();
        if (rtcpCapture != null) {
            rtcpCapture.close(); // after the media loops: no report is queued once the exporter stops
        }
        controlGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
