package io.pinhole.proxy.relay;

import io.pinhole.proxy.media.IcePolicy;
import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.MediaTransport;
import io.pinhole.proxy.media.NgFlags;
import io.pinhole.proxy.media.StreamGrant;
import io.pinhole.proxy.sip.Flow;
import io.pinhole.wire.ng.NgException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The ng commands for one call on one relay. The two sides are named by tags (the caller's
 * From tag, and a tag for the callee leg), as rtpengine expects: an offer names the offering
 * side in from-tag, an answer keeps that from-tag and names the answering side in to-tag.
 */
public final class MediaSession {

    private final Relay relay;
    private final String callId;
    private final java.util.concurrent.Executor callbacks;
    private final IcePolicy ice;

    /**
     * @param callbacks where continuations of replies run: never the ng receiver thread, which
     *                  every call on that relay shares, since they send SIP and may block on TCP
     * @param ice       the {@code ICE} option of every offer and answer (see {@link IcePolicy})
     */
    public MediaSession(Relay relay, String callId, java.util.concurrent.Executor callbacks, IcePolicy ice) {
        this.relay = relay;
        this.callId = callId;
        this.callbacks = callbacks;
        this.ice = ice;
    }

    public Relay relay() {
        return relay;
    }

    public String callId() {
        return callId;
    }

    /** Allocates (or, for a re-offer, keeps) the relay ports; completes with the SDP to send on. */
    public CompletableFuture<String> offer(String sdp, String fromTag, String toTag, Flow from, NgFlags flags) {
        Map<String, Object> command = common("offer", sdp, from, flags);
        command.put("from-tag", fromTag);
        if (toTag != null) {
            command.put("to-tag", toTag);
        }
        return relay.client().send(command).whenComplete(this::noteReply).thenApplyAsync(MediaSession::sdpOf, callbacks);
    }

    /**
     * A call's first offer: the SDP to send on, and the stream tokens the relay granted the offerer
     * (its flags' {@code media-transport}) and the side that will answer ({@code answerer}, sent as
     * {@code answerer-media-transport}; null or UDP = none), each null when not asked for.
     */
    public record Offered(String sdp, StreamGrant offerer, StreamGrant answerer) {
    }

    /** The first offer, with the stream transports of both sides (see {@link Offered}). */
    public CompletableFuture<Offered> offer(String sdp, String fromTag, Flow from, NgFlags flags,
                                            MediaTransport answerer) {
        Map<String, Object> command = common("offer", sdp, from, flags);
        command.put("from-tag", fromTag);
        if (answerer != null && answerer.stream()) {
            command.put("answerer-media-transport", answerer.wire());
        }
        return relay.client().send(command).whenComplete(this::noteReply).thenApplyAsync(reply -> new Offered(
                sdpOf(reply), StreamGrant.fromReply(reply, "tcp-token"), StreamGrant.fromReply(reply, "answerer-tcp-token")),
                callbacks);
    }

    /** Links the answering side; completes with the SDP to hand back to the offerer. */
    public CompletableFuture<String> answer(String sdp, String fromTag, String toTag, Flow from, NgFlags flags) {
        Map<String, Object> command = common("answer", sdp, from, flags);
        command.put("from-tag", fromTag);
        command.put("to-tag", toTag);
        return relay.client().send(command).whenComplete(this::noteReply).thenApplyAsync(MediaSession::sdpOf, callbacks);
    }

    /**
     * For callers that hold only the sending leg's NAT verdict (answers, in-dialog re-offers): the
     * options of a leg relayed over UDP. A leg on a stream connection needs no more: its token,
     * granted by the first offer, lasts as long as the call.
     */
    public CompletableFuture<String> offer(String sdp, String fromTag, String toTag, Flow from, boolean behindNat) {
        return offer(sdp, fromTag, toTag, from, NgFlags.forLeg(MediaPath.RELAY_UDP, behindNat));
    }

    /** As {@link #offer(String, String, String, Flow, boolean)}: the leg's path is RELAY_UDP. */
    public CompletableFuture<String> answer(String sdp, String fromTag, String toTag, Flow from, boolean behindNat) {
        return answer(sdp, fromTag, toTag, from, NgFlags.forLeg(MediaPath.RELAY_UDP, behindNat));
    }

    public CompletableFuture<Map<String, Object>> query() {
        return relay.client().send(new LinkedHashMap<>(Map.of("command", "query", "call-id", callId)));
    }

    /** Frees the call's ports; our relay's reply carries the final packet counts, rtpengine's does not. */
    public CompletableFuture<Map<String, Object>> delete() {
        return relay.client().send(new LinkedHashMap<>(Map.of("command", "delete", "call-id", callId)));
    }

    private void noteReply(Map<String, Object> reply, Throwable error) {
        if (error == null) {
            relay.answered();
        }
    }

    private Map<String, Object> common(String name, String sdp, Flow from, NgFlags flags) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("command", name);
        command.put("call-id", callId);
        command.put("sdp", sdp);
        command.put("flags", flags.flags());
        command.put("replace", flags.replace());
        command.put("ICE", ice.ng());
        if (flags.mediaTransport() != null) {
            command.put("media-transport", flags.mediaTransport());
        }
        command.put("received-from", List.of(from.address().contains(":") ? "IP6" : "IP4", from.address()));
        return command;
    }

    private static String sdpOf(Map<String, Object> reply) {
        Object sdp = reply.get("sdp");
        if (!(sdp instanceof String text) || text.isEmpty()) {
            throw new NgException("relay reply carries no SDP", false);
        }
        return text;
    }
}
