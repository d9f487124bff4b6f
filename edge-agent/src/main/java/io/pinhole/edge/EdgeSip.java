package io.pinhole.edge;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.pinhole.edge.media.MediaAnchor;
import io.pinhole.edge.sip.EdgeRouter;
import io.pinhole.edge.sip.Hop;
import io.pinhole.edge.sip.Responses;
import io.pinhole.edge.sip.Routing;
import io.pinhole.edge.sip.SipMessage;
import io.pinhole.edge.sip.SipParseException;
import io.pinhole.edge.upstream.Registration;
import io.pinhole.edge.upstream.UpstreamLink;
import io.pinhole.wire.stun.BindingAnswer;
import io.pinhole.wire.stun.BindingResponder;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches the agent's SIP on the SIP event loop: parses, asks {@link EdgeRouter} where a message
 * goes, lets {@link MediaAnchor} rewrite SDP on the way (and end a call's media on BYE, CANCEL or
 * a failed INVITE), then sends. Bad input gets one log line naming the cause (and a 400 from the
 * router when it is a request).
 */
final class EdgeSip {

    private static final Logger log = LoggerFactory.getLogger(EdgeSip.class);

    private final EdgeRouter router;
    private final MediaAnchor anchor;
    private final UpstreamLink upstream;
    private final Registration registration;
    private Channel lan;
    private final BindingResponder stun = new BindingResponder("pinhole-edge");

    EdgeSip(EdgeRouter router, MediaAnchor anchor, UpstreamLink upstream, Registration registration) {
        this.router = router;
        this.anchor = anchor;
        this.upstream = upstream;
        this.registration = registration;
    }

    void lanChannel(Channel lan) {
        this.lan = lan;
    }

    void fromLan(byte[] bytes, InetSocketAddress source) {
        if (isStun(bytes)) {
            answerStun(bytes, source);
            return;
        }
        if (isKeepalive(bytes)) {
            return; // nothing to forward: the agent's own connection carries its keepalives upstream
        }
        SipMessage m;
        try {
            m = SipMessage.parse(bytes);
        } catch (SipParseException e) {
            log.warn("Unreadable SIP from phone {}: {}", source, e.getMessage());
            return;
        }
        Hop from = new Hop(source.getAddress().getHostAddress(), source.getPort());
        if (!upstream.isUp()) {
            if (m.isRequest() && !"ACK".equals(m.method())) {
                send(Responses.to(m, 503, "Upstream connection to the proxy is down"), from);
            }
            return;
        }
        Routing r;
        try {
            r = router.fromLan(m, from, upstream.local());
        } catch (SipParseException e) {
            log.warn("SIP from phone {} not forwarded: {}", source, e.getMessage());
            return;
        }
        act(r, true);
    }

    void fromUpstream(byte[] bytes) {
        SipMessage m;
        try {
            m = SipMessage.parse(bytes);
        } catch (SipParseException e) {
            log.warn("Unreadable SIP from the proxy: {}", e.getMessage());
            return;
        }
        Routing r;
        try {
            r = router.fromUpstream(m, upstream.local());
        } catch (SipParseException e) {
            log.warn("SIP from the proxy not forwarded: {}", e.getMessage());
            return;
        }
        act(r, false);
    }

    private void act(Routing r, boolean fromLan) {
        if (r instanceof Routing.ToUpstream u) {
            media(u.message(), true, fromLan);
            if (!upstream.send(u.message().toBytes())) {
                log.warn("{} {} not forwarded: the connection to the proxy is down", u.message().method(),
                        u.message().callId());
            }
        } else if (r instanceof Routing.ToLan l) {
            media(l.message(), false, fromLan);
            send(l.message(), l.to());
        } else if (r instanceof Routing.Own o) {
            registration.onResponse(o.response());
        } else if (r instanceof Routing.Drop d) {
            log.warn("Dropped: {}", d.reason());
        }
    }

    /** SDP rewriting and the end of a call's media, for a message the agent forwards (not one it made). */
    private void media(SipMessage m, boolean toUpstream, boolean fromLan) {
        if (toUpstream != fromLan) {
            return; // a response the agent made itself
        }
        String callId = m.callId();
        try {
            if (m.hasSdp()) {
                m.setBody(toUpstream ? anchor.fromPhone(callId, m.body()) : anchor.fromProxy(callId, m.body()));
            }
        } catch (RuntimeException e) {
            log.warn("Call {}: SDP not anchored ({}); forwarded as it is", callId, e.getMessage());
        }
        String method = m.method();
        if (m.isRequest()) {
            if ("BYE".equals(method) || "CANCEL".equals(method)) {
                anchor.end(callId);
            }
        } else if ("INVITE".equals(method)) {
            int status = m.status();
            if (status >= 200 && status < 300) {
                anchor.answered(callId);
            } else if (status >= 300) {
                anchor.failed(callId);
            }
        }
    }

    private void send(SipMessage m, Hop to) {
        if (lan == null) {
            return;
        }
        byte[] bytes = m.toBytes();
        lan.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), new InetSocketAddress(to.host(), to.port())),
                lan.voidPromise());
    }

    /** RFC 5626 STUN keepalives of phones with outbound (baresip): RFC 7983, a first byte of 0-3 is STUN. */
    private static boolean isStun(byte[] bytes) {
        return bytes.length >= 20 && (bytes[0] & 0xFF) <= 3;
    }

    /** The agent is the phone's first hop, so it answers the phone's Binding request itself (RFC 5626 4.4.2). */
    private void answerStun(byte[] bytes, InetSocketAddress source) {
        BindingAnswer answer = stun.answer(java.nio.ByteBuffer.wrap(bytes), false, source,
                (InetSocketAddress) lan.localAddress(), null);
        if (answer instanceof BindingAnswer.Reply reply) {
            lan.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply.datagram()), source), lan.voidPromise());
        }
    }

    private static boolean isKeepalive(byte[] bytes) {
        for (byte b : bytes) {
            if (b != '\r' && b != '\n' && b != 0) {
                return false;
            }
        }
        return true;
    }
}
