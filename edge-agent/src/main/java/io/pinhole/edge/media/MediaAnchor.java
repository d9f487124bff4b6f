package io.pinhole.edge.media;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media anchor: for each call (by Call-ID) it owns LAN UDP ports per stream, rewrites the SDP
 * both ways to name them ({@link SdpRewriter}), and links them to the relay over the transport the
 * proxy's SDP says ({@code a=pinhole-media}) or over UDP to the relay's ports when it says
 * nothing. Called on the SIP thread; the packets run on the media event loops.
 */
public final class MediaAnchor {

    private static final Logger log = LoggerFactory.getLogger(MediaAnchor.class);
    static final Duration IDLE = Duration.ofMinutes(30);

    private final EventLoopGroup media;
    private final PortRange ports;
    private final String lanHost;
    private final SslContext relayTls;
    private final Supplier<InetSocketAddress> httpProxy;
    private final BooleanSupplier udpUpstream;
    private final Consumer<String> pathBroken;
    private final Map<String, MediaSession> sessions = new ConcurrentHashMap<>();
    private int cursor;

    /**
     * @param httpProxy  the forward proxy HTTP media goes through now (the chosen path's), or null for direct
     * @param udpUpstream whether the chosen path sends the phones' media up over UDP while the call's
     *                    stream link brings it down (UDP gets out, not in)
     * @param pathBroken told (once per link) when a media link to the relay breaks, in words
     */
    public MediaAnchor(EventLoopGroup media, PortRange ports, String lanHost, SslContext relayTls,
                       Supplier<InetSocketAddress> httpProxy, BooleanSupplier udpUpstream, Consumer<String> pathBroken) {
        this.media = media;
        this.ports = ports;
        this.lanHost = lanHost;
        this.relayTls = relayTls;
        this.httpProxy = httpProxy;
        this.udpUpstream = udpUpstream;
        this.pathBroken = pathBroken;
        this.cursor = ports.min() + (ports.min() & 1);
        media.scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.MINUTES);
    }

    /**
     * Ends calls whose media has been silent both ways for {@link #IDLE}: a call whose BYE never
     * passed the agent (a phone that died, a dialog the proxy ended by timer) would otherwise keep
     * its ports for ever. Long enough for any hold (phones on hold still send RTCP).
     */
    private void sweep() {
        long now = System.nanoTime();
        for (MediaSession s : List.copyOf(sessions.values())) {
            if (now - s.lastPacketNanos > IDLE.toNanos()) {
                log.info("Call {}: no media either way for {} min; closing its ports", s.callId, IDLE.toMinutes());
                end(s.callId);
            }
        }
    }

    /** A phone's SDP on its way upstream: remembered as where the phone is, rewritten to the agent's ports. */
    public byte[] fromPhone(String callId, byte[] body) {
        String sdp = new String(body, StandardCharsets.UTF_8);
        SdpView view = SdpView.parse(sdp);
        MediaSession session = session(callId, view.streams().size());
        for (SdpView.Stream s : view.streams()) {
            if (s.port() > 0 && s.host() != null) {
                session.stream(s.index()).phoneFromSdp(new InetSocketAddress(s.host(), s.port()),
                        new InetSocketAddress(s.host(), s.rtcpPort()));
            }
        }
        return SdpRewriter.rewrite(sdp, lanHost, portsOf(session)).getBytes(StandardCharsets.UTF_8);
    }

    /** The relay's SDP (from the proxy) on its way to a phone: links the call to the relay, rewritten to the agent's ports. */
    public byte[] fromProxy(String callId, byte[] body) {
        String sdp = new String(body, StandardCharsets.UTF_8);
        SdpView view = SdpView.parse(sdp);
        MediaSession session = session(callId, view.streams().size());
        for (SdpView.Stream s : view.streams()) {
            if (s.port() > 0 && s.host() != null) {
                MediaStream stream = session.stream(s.index());
                stream.relayRtp = new InetSocketAddress(s.host(), s.port());
                stream.relayRtcp = new InetSocketAddress(s.host(), s.rtcpPort());
            }
        }
        link(session, view);
        return SdpRewriter.rewrite(sdp, lanHost, portsOf(session)).getBytes(StandardCharsets.UTF_8);
    }

    /** The call ended (BYE, CANCEL, a failed INVITE): its ports and link close. */
    public void end(String callId) {
        MediaSession session = sessions.remove(callId);
        if (session != null) {
            session.close();
            log.info("Call {}: media closed ({} packets to the relay, {} to the phone)", callId,
                    session.toRelay.get(), session.toPhone.get());
        }
    }

    /** A 2xx to an INVITE passed: a later failure (a refused re-INVITE) no longer ends the call's media. */
    public void answered(String callId) {
        MediaSession s = sessions.get(callId);
        if (s != null) {
            s.answered = true;
        }
    }

    /** A final failure to an INVITE passed: the media ends unless the call was answered before. */
    public void failed(String callId) {
        MediaSession s = sessions.get(callId);
        if (s != null && !s.answered) {
            end(callId);
        }
    }

    public void closeAll() {
        List.copyOf(sessions.keySet()).forEach(this::end);
    }

    /** Packets carried so far for a call, {to relay, to phone}, or null: for tests and logs. */
    public long[] counts(String callId) {
        MediaSession s = sessions.get(callId);
        return s == null ? null : new long[] {s.toRelay.get(), s.toPhone.get()};
    }

    public int activeCalls() {
        return sessions.size();
    }

    private void link(MediaSession session, SdpView view) {
        PinholeMedia pm = view.pinhole();
        RelayLink current = session.link();
        String host = view.host();
        if (pm == null) {
            if (!(current instanceof UdpRelayLink)) {
                session.link(new UdpRelayLink(session, host));
                log.info("Call {}: media over UDP to relay {}", session.callId, host);
            }
            return;
        }
        if (pm.token().equals(tokenOf(current))) {
            return; // a re-INVITE of the same call side: the link carries the new streams too
        }
        RelayLink down = switch (pm.transport()) {
            case TCP, TLS -> new StreamRelayLink(session, host, pm.port(), pm.token(),
                    pm.transport() == Transport.TLS ? relayTls : null, pathBroken);
            case HTTP -> new HttpRelayLink(session, host, pm.port(), pm.token(), httpProxy.get(), pathBroken);
            default -> throw new IllegalStateException("a=pinhole-media never names udp");
        };
        if (udpUpstream.getAsBoolean()) {
            SplitRelayLink split = new SplitRelayLink(new UdpRelayLink(session, host), down);
            session.link(split);
            log.info("Call {}: media {}", session.callId, split.describe());
        } else {
            session.link(down);
        }
        if (down instanceof StreamRelayLink l) {
            l.start();
        } else if (down instanceof HttpRelayLink l) {
            l.start();
        }
    }

    /** The call token a link to the relay is bound by, or null (UDP, or none yet). */
    private static String tokenOf(RelayLink link) {
        RelayLink l = link instanceof SplitRelayLink split ? split.down() : link;
        if (l instanceof StreamRelayLink s) {
            return s.token();
        }
        return l instanceof HttpRelayLink h ? h.token() : null;
    }

    private MediaSession session(String callId, int streams) {
        MediaSession session = sessions.computeIfAbsent(callId, id -> new MediaSession(id, media.next()));
        while (session.streams().size() < streams) {
            session.add(bindStream(session, session.streams().size()));
        }
        return session;
    }

    private static List<Integer> portsOf(MediaSession session) {
        List<Integer> list = new ArrayList<>();
        for (MediaStream s : session.streams()) {
            list.add(s.port);
        }
        return list;
    }

    /** Binds the next free even/odd port pair of the range (wrapping), on the session's loop. */
    private MediaStream bindStream(MediaSession session, int index) {
        int pairs = (ports.max() - ports.min() + 1) / 2;
        for (int tries = 0; tries < pairs; tries++) {
            int port = nextEvenPort();
            Channel rtp = bind(session, index, false, port);
            if (rtp == null) {
                continue;
            }
            Channel rtcp = bind(session, index, true, port + 1);
            if (rtcp == null) {
                rtp.close();
                continue;
            }
            return new MediaStream(index, port, rtp, rtcp);
        }
        throw new IllegalStateException("no free media port pair in " + ports.min() + "-" + ports.max());
    }

    private synchronized int nextEvenPort() {
        int port = cursor;
        cursor += 2;
        if (cursor + 1 > ports.max()) {
            cursor = ports.min() + (ports.min() & 1);
        }
        return port;
    }

    private Channel bind(MediaSession session, int index, boolean rtcp, int port) {
        EventLoop loop = session.loop;
        ChannelFuture f = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .handler(new MediaSession.SocketHandler(session, index, rtcp))
                .bind(new InetSocketAddress(port)).awaitUninterruptibly();
        return f.isSuccess() ? f.channel() : null;
    }
}
