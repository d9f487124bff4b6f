package io.pinhole.sip.hep;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.wire.hep.HepTarget;
import org.junit.jupiter.api.Test;

class HepServerLoggerTest {

    @Test
    void collectorRoundTripsThroughStackProperties() {
        HepTarget target = HepTarget.parse("tcp:[2001:db8::5]:9060", 3, "pw");
        assertThat(HepServerLogger.target(HepServerLogger.stackProperties(target))).isEqualTo(target);
        assertThat(HepServerLogger.stackProperties(target).getProperty("gov.nist.javax.sip.SERVER_LOGGER"))
                .isEqualTo(HepServerLogger.class.getName());
    }

    @Test
    void withoutCollectorThereIsNoCapture() {
        assertThat(HepServerLogger.target(new java.util.Properties())).isNull();
    }
}
