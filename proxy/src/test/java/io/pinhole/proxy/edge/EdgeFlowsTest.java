package io.pinhole.proxy.edge;

import io.pinhole.proxy.media.MediaTransport;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.Flow;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeFlowsTest {

    private static final Instant T0 = Instant.parse("2026-12-06T04:00:00Z");
    private static final EdgeInfo AGENT = new EdgeInfo(MediaTransport.TLS, false, false, "a-1");
    private static final Flow FIRST = new Flow("198.51.100.7", 40001, "TLS");
    private static final Flow SECOND = new Flow("198.51.100.7", 40002, "TLS");
    private static final Flow PHONE_ELSEWHERE = new Flow("203.0.113.9", 5060, "UDP");

    private Instant now = T0;
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    /** What a {@link JdbcEdgeFlowStore} would hold. */
    private final List<EdgeFlowStore.Row> stored = new ArrayList<>();
    private final EdgeFlowStore store = new EdgeFlowStore() {
        @Override
        public List<Row> load(Instant since) {
            return stored.stream().filter(r -> r.lastRegistered().isAfter(since)).toList();
        }

        @Override
        public void save(Row row, Instant forgetBefore) {
            stored.removeIf(r -> r.flow().equals(row.flow()) || r.lastRegistered().isBefore(forgetBefore));
            stored.add(row);
        }
    };
    private final EdgeFlows edges = new EdgeFlows(clock, store);

    private static Binding binding(String aor, Flow flow, Instant expiresAt) {
        return new Binding(1, aor, "sip:" + aor, "sip:" + aor + ";transport=udp", "cid", 1, null, 600, expiresAt, flow,
                null, null, null);
    }

    @Test
    void aPhonesBindingFollowsItsAgentToTheNewConnection() {
        edges.registered(AGENT, FIRST, List.of(binding("agent@e", FIRST, T0.plusSeconds(300))));
        Binding phone = binding("phone@e", FIRST, T0.plusSeconds(3600));
        Binding other = binding("other@e", PHONE_ELSEWHERE, T0.plusSeconds(3600));

        assertThat(edges.follow(List.of(phone, other))).containsExactly(phone, other);

        edges.registered(AGENT, SECOND, List.of(binding("agent@e", SECOND, T0.plusSeconds(300))));

        assertThat(edges.follow(List.of(phone, other))).containsExactly(phone.withFlow(SECOND), other);
        assertThat(edges.at(FIRST)).contains(AGENT);
        assertThat(edges.at(SECOND)).contains(AGENT);
        assertThat(edges.at(PHONE_ELSEWHERE)).isEmpty();
    }

    @Test
    void anAgentWhoseTokenIsRevokedIsLoggedOutAndItsPhonesAreSkipped() {
        edges.registered(AGENT, FIRST, List.of(binding("agent@e", FIRST, T0.plusSeconds(300))));
        Binding phone = binding("phone@e", FIRST, T0.plusSeconds(3600));

        edges.revoked("a-1", "office1");

        assertThat(edges.follow(List.of(phone))).isEmpty();
        assertThat(edges.at(FIRST)).isEmpty();
        edges.revoked("a-1", "office1"); // once more: nothing left to log out, no failure
    }

    @Test
    void aReRegisterUpdatesWhatTheAgentSaid() {
        edges.registered(AGENT, FIRST, List.of(binding("agent@e", FIRST, T0.plusSeconds(300))));
        EdgeInfo onHttp = new EdgeInfo(MediaTransport.HTTP, false, false, "a-1");
        edges.registered(onHttp, FIRST, List.of(binding("agent@e", FIRST, T0.plusSeconds(600))));

        assertThat(edges.at(FIRST)).contains(onHttp);
    }

    @Test
    void phonesBehindAnAgentWhoseBindingExpiredAreSkipped() {
        edges.registered(AGENT, FIRST, List.of(binding("agent@e", FIRST, T0.plusSeconds(300))));
        Binding phone = binding("phone@e", FIRST, T0.plusSeconds(3600));

        now = T0.plus(Duration.ofSeconds(301));

        assertThat(edges.follow(List.of(phone))).isEmpty();
        assertThat(edges.at(FIRST)).isEmpty();
    }

    @Test
    void anUnregisteredAgentTakesItsPhonesWithIt() {
        edges.registered(AGENT, FIRST, List.of(binding("agent@e", FIRST, T0.plusSeconds(300))));
        Binding phone = binding("phone@e", FIRST, T0.plusSeconds(3600));

        edges.registered(AGENT, FIRST, List.of());

        assertThat(edges.follow(List.of(phone))).isEmpty();
    }

    @Test
    void anotherConnectionsBindingDoesNotMakeAnEdgeFlow() {
        edges.registered(AGENT, FIRST, List.of(binding("agent@e", SECOND, T0.plusSeconds(300))));

        assertThat(edges.at(FIRST)).isEmpty();
    }

    @Test
    void afterARestartThePhonesFollowTheirAgentOnceItLogsInAgain() {
        edges.registered(AGENT, FIRST, List.of(binding("agent@e", FIRST, T0.plusSeconds(300))));
        Binding phone = binding("phone@e", FIRST, T0.plusSeconds(3600));
        now = T0.plusSeconds(30);

        EdgeFlows restarted = new EdgeFlows(clock, store);
        assertThat(restarted.follow(List.of(phone))).as("before the agent is back: skipped, not sent to a stranger")
                .isEmpty();
        restarted.registered(AGENT, SECOND, List.of(binding("agent@e", SECOND, now.plusSeconds(300))));

        assertThat(restarted.follow(List.of(phone))).containsExactly(phone.withFlow(SECOND));
        assertThat(new EdgeFlows(clock, EdgeFlowStore.MEMORY).follow(List.of(phone)))
                .as("without the store the phone's old connection means nothing").containsExactly(phone);
    }

    @Test
    void aConnectionIsStoredOnceNotAtEveryRefresh() {
        edges.registered(AGENT, FIRST, List.of(binding("agent@e", FIRST, T0.plusSeconds(300))));
        now = T0.plusSeconds(150);
        edges.registered(AGENT, FIRST, List.of(binding("agent@e", FIRST, now.plusSeconds(300))));

        assertThat(stored).containsExactly(new EdgeFlowStore.Row(FIRST, "a-1", T0));
    }

    @Test
    void anAgentSilentForItsMissedHeartbeatsIsDeadAndItsPhonesUnreachable() {
        edges.registered(AGENT, FIRST, List.of(binding("agent@e", FIRST, T0.plusSeconds(600))));
        Binding phone = binding("phone@e", FIRST, T0.plusSeconds(3600));
        Duration every = Duration.ofSeconds(15);

        now = T0.plusSeconds(40);
        edges.heard("a-1");
        now = T0.plusSeconds(40 + 46);
        assertThat(edges.judge(every, 3)).isEmpty();
        assertThat(edges.follow(List.of(phone))).containsExactly(phone);

        now = T0.plusSeconds(40 + 48);
        assertThat(edges.judge(every, 3)).containsExactly("a-1");
        assertThat(edges.judge(every, 3)).as("said once").isEmpty();
        assertThat(edges.follow(List.of(phone))).isEmpty();
        assertThat(edges.unreachableBecause(List.of(phone))).contains("edge agent a-1 not answering");

        edges.heard("a-1");
        assertThat(edges.follow(List.of(phone))).containsExactly(phone);
        assertThat(edges.unreachableBecause(List.of(phone))).isEmpty();
    }

    @Test
    void aDeadAgentThatLogsInAgainIsAlive() {
        edges.registered(AGENT, FIRST, List.of(binding("agent@e", FIRST, T0.plusSeconds(600))));
        Binding phone = binding("phone@e", FIRST, T0.plusSeconds(3600));
        now = T0.plusSeconds(100);
        edges.judge(Duration.ofSeconds(15), 3);
        assertThat(edges.follow(List.of(phone))).isEmpty();

        edges.registered(AGENT, SECOND, List.of(binding("agent@e", SECOND, now.plusSeconds(600))));

        assertThat(edges.follow(List.of(phone))).containsExactly(phone.withFlow(SECOND));
    }
}
