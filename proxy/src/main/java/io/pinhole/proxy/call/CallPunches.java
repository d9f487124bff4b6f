package io.pinhole.proxy.call;

import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.PathPlan;
import io.pinhole.proxy.punch.PunchDriver;

/** Hands an answered call to hole punching when both its legs were planned PUNCH and it has a relay. */
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
                && paths.callee().actual() == MediaPath.PUNCH) {
            driver.start(new CallPunch(call, reInvites));
        }
    }
}
