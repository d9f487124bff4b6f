package io.pinhole.proxy.conference;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LobbyWatchTest {

    private static final Instant SINCE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void judgesWhatTheRelaySays() {
        assertThat(LobbyWatch.judge("lobby", false, SINCE, SINCE.plusSeconds(5), TIMEOUT))
                .isEqualTo(LobbyWatch.Verdict.WAIT);
        assertThat(LobbyWatch.judge("joined", false, SINCE, SINCE.plusSeconds(5), TIMEOUT))
                .isEqualTo(LobbyWatch.Verdict.JOINED);
        assertThat(LobbyWatch.judge("refused", false, SINCE, SINCE.plusSeconds(5), TIMEOUT))
                .isEqualTo(LobbyWatch.Verdict.REFUSED);
        assertThat(LobbyWatch.judge(null, true, SINCE, SINCE.plusSeconds(5), TIMEOUT))
                .isEqualTo(LobbyWatch.Verdict.GONE);
    }

    @Test
    void aLobbyLongerThanTheTimeoutEndsIt() {
        assertThat(LobbyWatch.judge("lobby", false, SINCE, SINCE.plusSeconds(60), TIMEOUT))
                .isEqualTo(LobbyWatch.Verdict.WAIT);
        assertThat(LobbyWatch.judge("lobby", false, SINCE, SINCE.plusSeconds(61), TIMEOUT))
                .isEqualTo(LobbyWatch.Verdict.TOO_LONG);
        // a party that got in at the last moment is let in, not hung up
        assertThat(LobbyWatch.judge("joined", false, SINCE, SINCE.plusSeconds(61), TIMEOUT))
                .isEqualTo(LobbyWatch.Verdict.JOINED);
    }
}
