package io.pinhole.relay.control;

import io.pinhole.relay.support.RelayTarget;
import io.pinhole.relay.support.Rtpengine;

/** The ng suite against a real rtpengine: proof that the suite tests the protocol itself. */
class RtpengineNgIT extends NgConformanceSuite {

    @Override
    protected RelayTarget start() throws Exception {
        return new Rtpengine();
    }
}
