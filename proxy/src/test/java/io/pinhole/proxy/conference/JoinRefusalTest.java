package io.pinhole.proxy.conference;

import io.pinhole.wire.ng.NgException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class JoinRefusalTest {

    private static JoinRefusal of(String reason) {
        return JoinRefusal.of(new CompletionException(new NgException(reason, false)));
    }

    @Test
    void mapsTheContractsErrorReasons() {
        assertThat(of("room full (3 parties)")).extracting(JoinRefusal::status, JoinRefusal::reasonText,
                JoinRefusal::result).containsExactly(486, "conference full", "full");
        assertThat(of("too many rooms").status()).isEqualTo(503);
        assertThat(of("no ports").status()).isEqualTo(503);
        assertThat(of("no common codec").status()).isEqualTo(488);
        assertThat(of("invalid pin").status()).isEqualTo(488);
        assertThat(of("something else").status()).isEqualTo(503);
    }

    @Test
    void aRelayThatDoesNotAnswerIs503() {
        JoinRefusal refusal = JoinRefusal.of(new CompletionException(new NgException("timeout", true)));
        assertThat(refusal.status()).isEqualTo(503);
        assertThat(refusal.reasonText()).isEqualTo("media relay did not answer");
    }

    @Test
    void keepsTheReasonTextOneShortQuotedString() {
        JoinRefusal refusal = of("weird \"quoted\"\r\nreason " + "x".repeat(200));
        assertThat(refusal.reasonText()).doesNotContain("\"", "\r", "\n").hasSizeLessThan(120);
    }

    @Test
    void anInviteWithoutSdpIs488WithItsReason() {
        assertThat(JoinRefusal.NO_SDP.status()).isEqualTo(488);
        assertThat(JoinRefusal.NO_SDP.reasonText()).contains("SDP offer");
    }
}
