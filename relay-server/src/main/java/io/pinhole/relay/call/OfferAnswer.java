package io.pinhole.relay.call;

import io.pinhole.relay.media.Endpoint;
import io.pinhole.relay.media.IceCredentials;
import io.pinhole.relay.media.LatchPolicy;
import io.pinhole.relay.media.MediaTransport;
import io.pinhole.relay.media.RtcpTap;
import io.pinhole.relay.sdp.IceMode;
import io.pinhole.relay.sdp.MediaTarget;
import io.pinhole.relay.sdp.RewritePlan;
import io.pinhole.relay.sdp.SdpException;
import io.pinhole.relay.sdp.SdpMedia;
import io.pinhole.relay.sdp.SdpParser;
import io.pinhole.relay.sdp.SdpRewriter;
import io.pinhole.relay.sdp.SessionDescription;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Offer and answer: gives each new media stream its endpoints (bound by {@link EndpointBinder}),
 * records where each side's media goes, and returns the SDP rewritten to the relay. Runs on the
 * control thread.
 * A failing offer or answer leaves the registry and the port pool as they were.
 */
public final class OfferAnswer {

    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final SecureRandom random = new SecureRandom();

    private final CallRegistry registry;
    private final MediaTransport transport;
    private final EndpointBinder binder;
    private final String advertisedAddress;
    private final boolean relatchOnNewSsrc;
    private final LongSupplier nanoClock;

    public OfferAnswer(CallRegistry registry, MediaTransport transport, String advertisedAddress,
                       boolean relatchOnNewSsrc, LongSupplier nanoClock) {
        this(registry, transport, advertisedAddress, relatchOnNewSsrc, nanoClock, callId -> null);
    }

    /** @param rtcpTaps who sees the RTCP of a call's endpoints, by Call-ID (null from it = nobody) */
    public OfferAnswer(CallRegistry registry, MediaTransport transport, String advertisedAddress,
                       boolean relatchOnNewSsrc, LongSupplier nanoClock, Function<String, RtcpTap> rtcpTaps) {
        this.registry = registry;
        this.transport = transport;
        this.binder = new EndpointBinder(registry, transport, relatchOnNewSsrc, rtcpTaps);
        this.advertisedAddress = advertisedAddress;
        this.relatchOnNewSsrc = relatchOnNewSsrc;
        this.nanoClock = nanoClock;
    }

    public String offer(SdpExchange x) throws CallException {
        SessionDescription sdp = parse(x.sdp());
        Call call = registry.find(x.callId());
        boolean isNew = call == null;
        Side offerer;
        if (isNew) {
            call = new Call(x.callId(), transport.nextLoop(), x.fromTag(), x.toTag(), nanoClock.getAsLong(),
                    System.currentTimeMillis() / 1000);
            offerer = call.first();
        } else {
            offerer = call.side(x.fromTag());
            if (offerer == null) {
                throw new CallException("Unknown from-tag");
            }
        }
        Side answerer = call.other(offerer);
        allocate(call, offerer, answerer, sdp.media());
        if (x.toTag() != null && answerer.tag() == null) {
            answerer.tag(x.toTag());
        }
        offerer.offeredMedia(sdp.media().size());

        List<MediaTarget> targets = new ArrayList<>();
        for (SdpMedia m : sdp.media()) {
            Endpoint mine = offerer.endpoint(m.index());
            Endpoint theirs = answerer.endpoint(m.index());
            if (m.port() == 0 || mine == null) {
                targets.add(null);
                if (mine != null) {
                    mine.disable();
                }
                continue;
            }
            offerer.offeredMux(m.index(), m.rtcpMux());
            // the SDP toward the answerer names theirs: its checks come there, signed with its leg's password
            theirs.ice(x.options().ice() == IceMode.FORCE ? answerer.ice(this::iceCredentials) : null);
            // rtcp-mux is only in use once the answer accepts it
            apply(mine, m, x.options(), false);
            theirs.describe(m.type(), m.protocol());
            boolean muxOut = x.options().rtcpMuxOffer() || (m.rtcpMux() && !x.options().rtcpMuxDemux());
            targets.add(target(theirs, muxOut));
        }
        if (isNew) {
            registry.add(call);
        }
        call.signalled(nanoClock.getAsLong());
        return SdpRewriter.rewrite(x.sdp(), plan(x.options(), targets, answerer));
    }

    public String answer(SdpExchange x) throws CallException {
        SessionDescription sdp = parse(x.sdp());
        Call call = registry.find(x.callId());
        if (call == null) {
            throw new CallException("Unknown call-id");
        }
        Side offerer = call.side(x.fromTag());
        if (offerer == null) {
            throw new CallException("Unknown from-tag");
        }
        Side answerer = call.other(offerer);
        if (sdp.media().size() > offerer.offeredMedia()) {
            throw new CallException("Answer has more media streams than the offer");
        }
        if (x.toTag() != null) {
            answerer.tag(x.toTag());
        }
        List<MediaTarget> targets = new ArrayList<>();
        for (SdpMedia m : sdp.media()) {
            Endpoint theirs = answerer.endpoint(m.index());
            Endpoint mine = offerer.endpoint(m.index());
            if (theirs == null) {
                targets.add(null);
                continue;
            }
            if (m.port() == 0) {
                theirs.disable();
                targets.add(null);
                continue;
            }
            apply(theirs, m, x.options(), m.rtcpMux());
            boolean offererMux = offerer.offeredMux(m.index()) && !x.options().rtcpMuxDemux()
                    && (x.options().rtcpMuxAccept() || m.rtcpMux());
            mine.remote(mine.sdpAddress(), mine.sdpRtcpAddress(), offererMux, mine.quiet());
            mine.ice(x.options().ice() == IceMode.FORCE ? offerer.ice(this::iceCredentials) : null);
            targets.add(target(mine, offererMux));
        }
        call.signalled(nanoClock.getAsLong());
        return SdpRewriter.rewrite(x.sdp(), plan(x.options(), targets, offerer));
    }

    private static SessionDescription parse(String sdp) throws CallException {
        try {
            return SdpParser.parse(sdp);
        } catch (SdpException e) {
            throw new CallException(e.getMessage());
        }
    }

    /** Gives every relayed stream that has none yet its two bound endpoints: all or nothing. */
    private void allocate(Call call, Side offerer, Side answerer, List<SdpMedia> media) throws CallException {
        List<Integer> needed = new ArrayList<>();
        for (SdpMedia m : media) {
            if (m.port() != 0 && offerer.endpoint(m.index()) == null) {
                needed.add(m.index());
            }
        }
        if (needed.isEmpty()) {
            return;
        }
        List<Endpoint> bound = binder.bind(call, needed.size());
        for (int i = 0; i < needed.size(); i++) {
            Endpoint mine = bound.get(2 * i);
            Endpoint theirs = bound.get(2 * i + 1);
            Endpoint.link(mine, theirs);
            offerer.put(needed.get(i), mine);
            answerer.put(needed.get(i), theirs);
            // a side already on a TCP/TLS connection gets the new stream over it too
            for (StreamConnection c : offerer.streams()) {
                c.carry(needed.get(i), mine);
            }
            for (StreamConnection c : answerer.streams()) {
                c.carry(needed.get(i), theirs);
            }
        }
    }

    /** Records where this side's media goes and how its source is treated. */
    private void apply(Endpoint e, SdpMedia m, MediaOptions o, boolean mux) {
        e.describe(m.type(), m.protocol());
        e.formats(m.formats());
        e.policy(new LatchPolicy(o.symmetric(), o.strictSource(), relatchOnNewSsrc));
        InetAddress address = m.address();
        if (o.mediaAddress() != null) {
            address = o.mediaAddress();
        } else if (o.sipSourceAddress() && o.receivedFrom() != null) {
            address = o.receivedFrom();
        }
        if (m.onHoldByAddress() && o.mediaAddress() == null) {
            e.remote(null, null, mux, true);
            return;
        }
        InetSocketAddress rtp = new InetSocketAddress(address, m.port());
        // the separate RTCP address is kept even when muxed: a later answer may decline rtcp-mux
        InetSocketAddress rtcp = new InetSocketAddress(address, m.rtcpPort() > 0 ? m.rtcpPort() : m.port() + 1);
        e.remote(rtp, rtcp, mux, m.quiet());
    }

    private static MediaTarget target(Endpoint e, boolean mux) {
        return new MediaTarget(e.rtpPort(), mux ? e.rtpPort() : e.rtcpPort(), mux);
    }

    /** @param receiver the side whose phone gets this SDP: the ICE credentials are its leg's */
    private RewritePlan plan(MediaOptions o, List<MediaTarget> targets, Side receiver) {
        // credentials only where they go into the SDP: made on the leg's first ICE=force, see Side
        IceCredentials ice = o.ice() == IceMode.FORCE ? receiver.ice(this::iceCredentials) : null;
        return new RewritePlan(advertisedAddress, o.replaceOrigin(), o.ice(), ice == null ? null : ice.ufrag(),
                ice == null ? null : ice.password(), targets);
    }

    /** Random credentials for one leg, made on its first ICE=force and kept for the call (see {@link Side}). */
    private IceCredentials iceCredentials() {
        return new IceCredentials(iceToken(8), iceToken(24));
    }

    /** Random ICE token (RFC 8445: ufrag ≥ 4, password ≥ 22 characters, ice-chars). */
    private String iceToken(int chars) {
        StringBuilder sb = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            sb.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
        }
        return sb.toString();
    }
}
