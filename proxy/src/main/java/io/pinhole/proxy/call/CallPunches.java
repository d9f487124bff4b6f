package io.pinhole.proxy.call;

import io.pinhole.proxy.media.IceSdp;
import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.PathPlan;
import io.pinhole.proxy.punch.PunchDriver;

/**
 * Hands an answered call to hole punching when both its legs were planned PUNCH and it has a relay,
 * and neither phone speaks ICE: an ICE phone checked the relay's candidate and keeps to it; a
 * re-INVITE without ICE to it reads as "ICE not supported by peer" and silences it (baresip 1.0),
 * and one with candidates would have it check the direct pair before sending, silent meanwhile.
 */
final class CallPunches {

    private final PunchDriver driver;
    private final OwnReInvite reInvites;

    CallPunches(PunchDriver driver, OwnReInvite reInvites) {
        this.driver = driver;
        this.reInvites = reInvites;
    }

    void answered(Call call) {
        PathPlan paths = call.paths();
        if (call.media != null && paths.callee() != null && paths.caller().actual() == MediaPath.PUNCH
                && paths.callee().actual() == MediaPath.PUNCH
                && !IceSdp.offersIce(call.sdpFrom(Side.CALLER)) && !IceSdp.offersIce(call.sdpFrom(Side.CALLEE))) {
            driver.start(new CallPunch(call, reInvites));
        }
    }
}
