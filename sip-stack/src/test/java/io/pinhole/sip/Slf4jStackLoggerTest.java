package io.pinhole.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class Slf4jStackLoggerTest {

    private static final String RI_TEXT =
            "A problem occured while trying to send a single CLRF in response to a double CLRF";

    @Test
    void theRisFailedPongBeforeAnySipMessageIsTheClientsOddity() {
        assertThat(Slf4jStackLogger.isKeepaliveBeforeAnyMessage(RI_TEXT, new NullPointerException())).isTrue();
    }

    @Test
    void otherFailuresStayWarnings() {
        assertThat(Slf4jStackLogger.isKeepaliveBeforeAnyMessage(RI_TEXT, new IOException("No route to host"))).isFalse();
        assertThat(Slf4jStackLogger.isKeepaliveBeforeAnyMessage("Error while processing message",
                new NullPointerException())).isFalse();
        assertThat(Slf4jStackLogger.isKeepaliveBeforeAnyMessage(null, new NullPointerException())).isFalse();
    }

    @Test
    void theRiReparseCostNoteIsNotAWarning() {
        assertThat(Slf4jStackLogger.isReparseNotice("reparsing original request [B@4f0063 since it was eagerly cleaned up,"
                + " but beware this is not efficient with the aggressive flag set !")).isTrue();
        assertThat(Slf4jStackLogger.isReparseNotice("Removed stuck messages")).isFalse();
        assertThat(Slf4jStackLogger.isReparseNotice(null)).isFalse();
    }
}
