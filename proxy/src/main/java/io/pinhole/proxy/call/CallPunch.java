package io.pinhole.proxy.call;

import io.pinhole.proxy.punch.PunchCall;

import javax.sip.message.Response;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One answered call as hole punching sees it: its relay session, the SDP each phone has, and re-INVITEs of our own. */
final class CallPunch implements PunchCall {

    private final Call call;
    private final OwnReInvite reInvites;

    CallPunch(Call call, OwnReInvite reInvites) {
        this.call = call;
        this.reInvites = reInvites;
    }

    @Override
    public String callId() {
        return call.callerCallId;
    }

    @Override
    public CompletableFuture<Map<String, Object>> query() {
        return call.media.query();
    }

    @Override
    public String relayTag(Side side) {
        Leg leg = call.leg(side);
        return leg == null ? null : leg.relayTag();
    }

    @Override
    public String sdpSentTo(Side side) {
        return call.sdpTo(side);
    }

    @Override
    public CompletableFuture<Integer> reInvite(Side side, String sdp) {
        return reInvites.send(call, side, sdp).thenApply(Response::getStatusCode);
    }

    @Override
    public CompletableFuture<Integer> reInviteOnce(Side side, String sdp) {
        return reInvites.sendOnce(call, side, sdp).thenApply(Response::getStatusCode);
    }

    @Override
    public boolean over() {
        synchronized (call) {
            return call.state == Call.State.ENDED || call.renegotiated;
        }
    }

    @Override
    public void wentDirect(Instant at) {
        synchronized (call) {
            if (!call.renegotiated) {
                call.directFrom = at;
            }
        }
    }

    @Override
    public void relayed(String why) {
        synchronized (call) {
            if (call.directFrom != null && call.directUntil == null) {
                call.directUntil = Instant.now(); // direct, then proven not to be: back on the relay from now
            }
            call.punchOutcome = why;
        }
    }
}
