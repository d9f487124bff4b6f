package io.pinhole.proxy.edge;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeTokenCheckTest {

    private static final String TOKEN = "9c2f6b0e4a1d8c7b5e3f2a1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b";
    private static final EdgeTokenCheck.Entry OFFICE = new EdgeTokenCheck.Entry(7, "office1", 42, "edge@example.com");
    private static final Map<String, EdgeTokenCheck.Entry> LIVE = Map.of(EdgeTokens.sha256(TOKEN), OFFICE);

    @Test
    void theRightTokenOverTlsLogsInAsItsUser() {
        EdgeTokenCheck.Verdict verdict = EdgeTokenCheck.check(LIVE, EdgeTokens.sha256(TOKEN), "edge@example.com", "TLS");

        assertThat(verdict).isEqualTo(new EdgeTokenCheck.Accepted(OFFICE));
    }

    @Test
    void anUnknownOrRevokedTokenIsRefusedWithoutShowingIt() {
        EdgeTokenCheck.Verdict verdict = EdgeTokenCheck.check(LIVE, EdgeTokens.sha256(TOKEN + "0"), "edge@example.com", "TLS");

        EdgeTokenCheck.Refused refused = (EdgeTokenCheck.Refused) verdict;
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.reason()).isEqualTo("Edge agent token unknown or revoked");
        assertThat(refused.log() + refused.reason()).doesNotContain(TOKEN);
        assertThat(refused.exposed()).isNull();
    }

    @Test
    void aTokenForAnotherUserIsRefused() {
        EdgeTokenCheck.Refused refused = (EdgeTokenCheck.Refused) EdgeTokenCheck.check(LIVE, EdgeTokens.sha256(TOKEN),
                "alice@example.com", "TLS");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.reason()).isEqualTo("Edge agent token is not for alice@example.com");
        assertThat(refused.log()).contains("office1", "edge@example.com").doesNotContain(TOKEN);
    }

    /** Over TCP or UDP anyone on the path read the token: refused even when right, and the log says to revoke it. */
    @Test
    void aTokenOverPlainTcpOrUdpIsRefusedAndALiveOneIsNamedForRevocation() {
        for (String transport : List.of("TCP", "UDP")) {
            EdgeTokenCheck.Refused refused = (EdgeTokenCheck.Refused) EdgeTokenCheck.check(LIVE, EdgeTokens.sha256(TOKEN),
                    "edge@example.com", transport);

            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.reason()).isEqualTo("Edge agent tokens are accepted over TLS only, not " + transport);
            assertThat(refused.exposed()).isEqualTo(OFFICE);
            assertThat(refused.log()).contains("revoke it with DELETE /api/edge-agents/office1").doesNotContain(TOKEN);
        }
        EdgeTokenCheck.Refused unknown = (EdgeTokenCheck.Refused) EdgeTokenCheck.check(LIVE, EdgeTokens.sha256("x"),
                "edge@example.com", "TCP");
        assertThat(unknown.reason()).isEqualTo("Edge agent tokens are accepted over TLS only, not TCP");
        assertThat(unknown.exposed()).isNull();
    }

    @Test
    void theSnapshotIsReadAgainOnReloadAndARevokedTokensAgentIsLoggedOut() {
        List<Long> used = new ArrayList<>();
        Map<String, EdgeTokenCheck.Entry>[] table = new Map[]{LIVE};
        EdgeTokenStore store = new EdgeTokenStore() {
            @Override
            public Map<String, EdgeTokenCheck.Entry> live() {
                return table[0];
            }

            @Override
            public void used(long id) {
                used.add(id);
            }
        };
        List<String> loggedOut = new ArrayList<>();
        try (EdgeTokens tokens = new EdgeTokens(store, Duration.ZERO,
                new io.pinhole.proxy.database.DatabaseStatus(java.time.Clock.systemUTC()), (agent, name) -> loggedOut.add(agent + " " + name))) {
            assertThat(tokens.check(TOKEN, "edge@example.com", "TLS")).isInstanceOf(EdgeTokenCheck.Accepted.class);
            assertThat(used).containsExactly(7L);
            tokens.loggedIn(OFFICE, "agent-1");
            tokens.reload();
            assertThat(loggedOut).as("the token is still live").isEmpty();

            table[0] = Map.of();
            assertThat(tokens.check(TOKEN, "edge@example.com", "TLS")).as("still the snapshot")
                    .isInstanceOf(EdgeTokenCheck.Accepted.class);
            tokens.reload();
            assertThat(tokens.check(TOKEN, "edge@example.com", "TLS")).as("revoked, read again")
                    .isInstanceOf(EdgeTokenCheck.Refused.class);
            assertThat(loggedOut).as("the agent that logged in with it is logged out").containsExactly("agent-1 office1");
            assertThat(used).containsExactly(7L, 7L);
        }
    }

    @Test
    void theStoredHashIsSha256InHex() {
        assertThat(EdgeTokens.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
