package io.pinhole.proxy.call;

import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.MediaPolicy;
import io.pinhole.proxy.nat.NatVerdict;

/** Whether a call's media goes through a relay: a pure decision from the policy and both legs. */
public final class MediaPlanner {

    private MediaPlanner() {
    }

    public static MediaPath plan(MediaPolicy policy, NatVerdict caller, NatVerdict callee) {
        return switch (policy) {
            case ALWAYS -> MediaPath.RELAY_UDP;
            case NEVER -> MediaPath.DIRECT;
            case AUTO -> caller.behindNat() || callee.behindNat() ? MediaPath.RELAY_UDP : MediaPath.DIRECT;
        };
    }
}
