package io.pinhole.relay.control;

import io.pinhole.relay.support.OurRelay;
import io.pinhole.relay.support.RelayTarget;

/** The ng suite against our relay. */
class OurRelayNgIT extends NgConformanceSuite {

    @Override
    protected RelayTarget start() throws Exception {
        return new OurRelay();
    }
}
