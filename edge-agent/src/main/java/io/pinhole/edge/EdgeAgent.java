package io.pinhole.edge;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.ssl.SslContext;
import io.pinhole.edge.media.MediaAnchor;
import io.pinhole.edge.probe.PathChoice;
import io.pinhole.edge.probe.PathDecision;
import io.pinhole.edge.probe.PathProbe;
import io.pinhole.edge.probe.ProbeResult;
import io.pinhole.edge.sip.EdgeRouter;
import io.pinhole.edge.sip.Hop;
import io.pinhole.edge.upstream.Credential;
import io.pinhole.edge.upstream.EdgeToken;
import io.pinhole.edge.upstream.Login;
import io.pinhole.edge.upstream.Registration;
import io.pinhole.edge.upstream.UpstreamLink;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge agent, assembled: probes the way out, opens the upstream connection and registers,
 * listens for the phones' SIP on the LAN, anchors their media. One event loop thread for SIP
 * (LAN socket, upstream connection, registration: no locks), two for media.
 */
public final class EdgeAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EdgeAgent.class);

    private final EdgeOptions options;
    private final String agentId = UUID.randomUUID().toString();
    private final String routeId = agentId.substring(0, 8);
    private final EventLoopGroup sipGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup mediaGroup = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "edge-probe");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean probing = new AtomicBoolean();
    private final EventLoop sipLoop = sipGroup.next();
    private final PathProbe probe;
    private final InetSocketAddress httpProxy;
    private final String lanHost;
    private final MediaAnchor anchor;
    private final UpstreamLink upstream;
    private final Registration registration;
    private final EdgeSip sip;
    private volatile PathChoice path;

    public EdgeAgent(EdgeOptions options) {
        this.options = options;
        Login credential = options.tokenFile() != null ? EdgeToken.load(options.tokenFile())
                : Credential.load(options.credential());
        Tls tls = new Tls(options.trust());
        SslContext netty = tls.netty();
        this.httpProxy = options.httpProxy() == null ? null
                : new InetSocketAddress(options.httpProxy().getHostString(), options.httpProxy().getPort());
        this.lanHost = options.lanAddress() != null ? options.lanAddress() : addressTowards(options.upstreamHost());
        this.probe = new PathProbe(options.relayHost(), options.relayPorts(), httpProxy, tls.jdk());
        // HTTP media goes through the forward proxy when the chosen path says so (a forced http with
        // --http-proxy, or auto when only the proxy passed), else straight to the relay
        this.anchor = new MediaAnchor(mediaGroup, options.mediaPorts(), lanHost, netty,
                () -> path != null && path.viaHttpProxy() ? httpProxy : null,
                () -> path != null && path.udpUpstream(), this::pathBroken);
        EdgeRouter router = new EdgeRouter(routeId, new Hop(lanHost, options.sipPort()),
                options.upstreamTls() ? "TLS" : "TCP");
        EdgeSip[] holder = new EdgeSip[1];
        Registration[] reg = new Registration[1];
        this.upstream = new UpstreamLink(sipLoop, options.upstreamHost(), options.upstreamPort(),
                options.upstreamTls() ? netty : null, httpProxy, new UpstreamLink.Listener() {
                    @Override
                    public void connected(Hop local) {
                        reg[0].register();
                    }

                    @Override
                    public void message(byte[] message) {
                        holder[0].fromUpstream(message);
                    }

                    @Override
                    public void disconnected() {
                        reg[0].disconnected();
                    }
                });
        this.registration = new Registration(credential, routeId, () -> path.edgeHeader(agentId), upstream, sipLoop);
        reg[0] = registration;
        this.sip = new EdgeSip(router, anchor, upstream, registration);
        holder[0] = sip;
    }

    /** Probes, binds the LAN SIP socket and connects upstream; returns once listening. */
    public void start() throws InterruptedException {
        choose(probe.run());
        var lan = new Bootstrap().group(sipLoop).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        sip.fromLan(ByteBufUtil.getBytes(p.content()), p.sender());
                    }
                })
                .bind(new InetSocketAddress(options.sipPort())).sync().channel();
        sip.lanChannel(lan);
        log.info("Phones register to sip:{}:{} (UDP); agent id {}", lanHost, options.sipPort(), agentId);
        upstream.start();
    }

    private void choose(ProbeResult result) {
        PathChoice next = PathDecision.choose(result, options.transport(), options.relayHost(), options.relayPorts(),
                options.httpProxy() == null ? null : options.httpProxy().getHostString() + ":" + options.httpProxy().getPort());
        PathChoice previous = path;
        path = next;
        if (next.usable()) {
            log.info("Media path: {}", next.words());
        } else {
            log.error("Media path: {}", next.words());
        }
        if (previous != null && !previous.edgeHeader(agentId).equals(next.edgeHeader(agentId))) {
            sipLoop.execute(registration::register);
        }
    }

    /** A media link to the relay broke: probe again (once at a time) and re-register if the path changed. */
    private void pathBroken(String what) {
        if (probing.compareAndSet(false, true)) {
            log.warn("Media path broke ({}); probing again", what);
            prober.execute(() -> {
                try {
                    choose(probe.run());
                } finally {
                    probing.set(false);
                }
            });
        }
    }

    public PathChoice path() {
        return path;
    }

    public String lanHost() {
        return lanHost;
    }

    public MediaAnchor anchor() {
        return anchor;
    }

    /** Whether the agent's own REGISTER succeeded on the current connection. */
    public boolean registered() {
        try {
            return sipLoop.submit(registration::registered).get();
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            // a digest login's unregister is challenged: wait (briefly) for it to be answered
            sipLoop.submit(registration::unregister).get().get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("unregister at shutdown: {}", e.getMessage());
        }
        upstream.stop();
        anchor.closeAll();
        prober.shutdownNow();
        sipGroup.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        mediaGroup.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The local address this host uses towards {@code host} (a connected UDP socket sends nothing). */
    static String addressTowards(String host) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(InetAddress.getByName(host), 9);
            String a = s.getLocalAddress().getHostAddress();
            if (!a.equals("0.0.0.0")) {
                return a;
            }
        } catch (IOException e) {
            // below
        }
        throw new IllegalArgumentException("cannot tell this host's address towards " + host + ": give --lan-address");
    }
}
