package io.pinhole.proxy.punch;

import io.pinhole.proxy.call.Side;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What punching needs of an answered call; the call layer implements it. */
public interface PunchCall {

    String callId();

    /** The relay's ng {@code query} reply for the call. */
    CompletableFuture<Map<String, Object>> query();

    /** The tag that names this side to the relay. */
    String relayTag(Side side);

    /** The SDP this side's phone got from us last (the relay's rewrite). */
    String sdpSentTo(Side side);

    /**
     * Sends a re-INVITE with {@code sdp} inside this side's dialog; completes with the final status
     * (a 2xx is ACKed first), exceptionally when it could not be sent or timed out.
     */
    CompletableFuture<Integer> reInvite(Side side, String sdp);

    /**
     * The move's re-INVITE: as {@link #reInvite}, but sent once. A 491 means the phone has a
     * re-INVITE of its own open: it renegotiates media itself (through the relay, which ends the
     * punch: {@link #over()}), and a move sent again after the RFC 3261 14.1 wait (2.1 to 4 s,
     * past the bound) would point it at the other phone with the old direct SDP, after that
     * renegotiation, where nothing moves it back.
     */
    CompletableFuture<Integer> reInviteOnce(Side side, String sdp);

    /** Ended, or a phone renegotiated media itself (its offer went through the relay). */
    boolean over();

    /** The call's media went direct at {@code at}. */
    void wentDirect(Instant at);

    /** The punch is over and media is (back, or still) on the relay, for {@code why}. */
    void relayed(String why);
}
