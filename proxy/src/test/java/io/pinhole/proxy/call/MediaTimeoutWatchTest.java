package io.pinhole.proxy.call;

import io.pinhole.proxy.media.LegPlan;
import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.MediaPlan;
import io.pinhole.proxy.media.PathPlan;
import io.pinhole.proxy.database.DatabaseStatus;
import io.pinhole.proxy.media.MediaPolicy;
import io.pinhole.proxy.relay.Relay;
import io.pinhole.proxy.relay.RelayPool;
import io.pinhole.proxy.relay.RelayProperties;
import io.pinhole.proxy.relay.RelayRepository;
import io.pinhole.proxy.relay.ScriptedNgRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sip.Dialog;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The watch against a fake relay on a real ng socket: what it ends, and what it leaves alone. */
class MediaTimeoutWatchTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(5);

    private final FakeRelay fake = new FakeRelay();
    private final RelayPool pool = new RelayPool(new RelayRepository(null) {
        @Override
        public List<RelayRow> enabled() {
            return List.of();
        }
    }, new RelayProperties(MediaPolicy.AUTO, "127.0.0.1:" + fake.port(), "", Duration.ofMillis(300),
            Duration.ofSeconds(60), Duration.ofSeconds(60), List.of()), new DatabaseStatus(Clock.systemUTC()));
    private final CallRegistry registry = new CallRegistry();
    private final Set<String> hungUp = ConcurrentHashMap.newKeySet();
    private final MediaTimeoutWatch watch = new MediaTimeoutWatch(registry, call -> hungUp.add(call.callerCallId),
            INTERVAL, Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void stop() throws InterruptedException {
        watch.close();
        pool.close();
        fake.close();
    }

    @Test
    void endsTheCallsTheRelayNoLongerLists() {
        answered("a", NOW.minusSeconds(60));
        answered("b", NOW.minusSeconds(60));
        answered("c", NOW.minus(INTERVAL));
        fake.listed = List.of("a", "someone-elses");

        watch.checkNow();

        eventually(Duration.ofSeconds(5), () -> hungUp.size() == 2, "two calls ended");
        assertThat(hungUp).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void aCallAnsweredWithinTheLastIntervalIsNotJudged() {
        answered("old", NOW.minusSeconds(60));
        answered("fresh", NOW.minus(INTERVAL).plusMillis(1));
        fake.listed = List.of();

        watch.checkNow();

        eventually(Duration.ofSeconds(5), () -> hungUp.contains("old"), "the old call ended");
        // The watch's thread runs one task at a time: once the next round has sent its list, the
        // first round's judgement is complete.
        watch.checkNow();
        eventually(Duration.ofSeconds(5), () -> fake.lists.size() == 2, "a second round ran");
        assertThat(hungUp).containsExactly("old");
    }

    @Test
    void callsAFullListLeftOutAreAskedAboutOneByOne() {
        answered("alive", NOW.minusSeconds(60));
        answered("gone", NOW.minusSeconds(60));
        List<String> others = new ArrayList<>();
        for (int i = 0; i < RelayCallCheck.FIRST_LIMIT; i++) {
            others.add("other-" + i);
        }
        others.add("alive");
        fake.listed = others; // the first reply, cut at the limit, leaves both out
        fake.known.add("alive");

        watch.checkNow();

        eventually(Duration.ofSeconds(5), () -> hungUp.contains("gone"), "the unknown call ended");
        eventually(Duration.ofSeconds(5), () -> fake.queried.size() == 2, "both asked about");
        watch.checkNow();
        eventually(Duration.ofSeconds(5), () -> fake.lists.size() == 2, "a second round ran");
        assertThat(hungUp).containsExactly("gone");
    }

    @Test
    void withoutAListReplyOnlyWhatTheRelayDeniesKnowingIsEnded() {
        answered("alive", NOW.minusSeconds(60));
        answered("gone", NOW.minusSeconds(60));
        fake.listed = null; // no reply to list, as when it would not fit a datagram
        fake.known.add("alive");

        watch.checkNow();

        eventually(Duration.ofSeconds(5), () -> hungUp.contains("gone"), "the unknown call ended");
        eventually(Duration.ofSeconds(5), () -> fake.queried.size() == 2, "both asked about");
        assertThat(hungUp).containsExactly("gone");
    }

    @Test
    void callsWithoutRelayOrNotAnsweredAreLeftAlone() {
        Call direct = call("direct", MediaPath.DIRECT);
        synchronized (direct) {
            direct.state = Call.State.ANSWERED;
            direct.answeredAt = NOW.minusSeconds(60);
        }
        Call ringing = call("ringing", MediaPath.RELAY_UDP);
        ringing.media = pool.session(relay(), "ringing");
        answered("listed", NOW.minusSeconds(60));
        answered("gone", NOW.minusSeconds(60));
        fake.listed = List.of("listed");

        watch.checkNow();

        eventually(Duration.ofSeconds(5), () -> hungUp.contains("gone"), "the unlisted call ended");
        watch.checkNow();
        eventually(Duration.ofSeconds(5), () -> fake.lists.size() == 2, "a second round ran");
        assertThat(hungUp).containsExactly("gone");
    }

    @Test
    void aPunchedCallIsNotJudgedWhileItsMediaGoesDirect() {
        answered("punched", NOW.minusSeconds(60)).directFrom = NOW.minusSeconds(58);
        Call renegotiated = answered("relayed-again", NOW.minusSeconds(60));
        renegotiated.directFrom = NOW.minusSeconds(58);
        renegotiated.renegotiated(NOW.minusSeconds(30));
        fake.listed = List.of(); // the relay dropped both: the direct one for lack of media, by design

        watch.checkNow();

        eventually(Duration.ofSeconds(5), () -> hungUp.contains("relayed-again"), "the call back on the relay ended");
        watch.checkNow();
        eventually(Duration.ofSeconds(5), () -> fake.lists.size() == 2, "a second round ran");
        assertThat(hungUp).containsExactly("relayed-again");
    }

    private Call answered(String callId, Instant at) {
        Call call = call(callId, MediaPath.RELAY_UDP);
        call.media = pool.session(relay(), callId);
        synchronized (call) {
            call.state = Call.State.ANSWERED;
            call.answeredAt = at;
        }
        return call;
    }

    private Call call(String callId, MediaPath path) {
        Dialog dialog = (Dialog) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Dialog.class},
                (proxy, method, args) -> null);
        Call call = new Call(callId + "|z9hG4bK", callId, "alice@x", "bob@x", NOW.minusSeconds(70), null, null, "t",
                null, null, dialog, plan(path));
        registry.add(call);
        return call;
    }

    /** A plan whose one fork took {@code path} on both legs: the watch reads only the call's path. */
    private static MediaPlan plan(MediaPath path) {
        LegPlan caller = new LegPlan("caller", false, path, path, "test");
        LegPlan callee = new LegPlan("callee", false, path, path, "test");
        return new MediaPlan(path, path != MediaPath.DIRECT, "test", List.of(new PathPlan(caller, callee)));
    }

    private Relay relay() {
        return pool.relays().get(0);
    }

    /**
     * Answers ping, list (the first {@code limit} of {@link #listed}, or nothing when null) and
     * query (the {@link #known} Call-IDs only).
     */
    private static final class FakeRelay implements AutoCloseable {
        private final ScriptedNgRelay peer;
        volatile List<String> listed = List.of();
        final Set<String> known = ConcurrentHashMap.newKeySet();
        /** Cookies of the list commands seen: a retransmission is not another round. */
        final Set<String> lists = ConcurrentHashMap.newKeySet();
        final Set<String> queried = ConcurrentHashMap.newKeySet();

        FakeRelay() {
            try {
                peer = new ScriptedNgRelay("fake-relay", this::answer);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        int port() {
            return peer.port();
        }

        private Map<String, Object> answer(String cookie, Map<String, Object> command) {
            return switch (String.valueOf(command.get("command"))) {
                case "ping" -> Map.of("result", "pong");
                case "list" -> {
                    lists.add(cookie);
                    List<String> calls = listed;
                    int limit = ((Number) command.get("limit")).intValue();
                    yield calls == null ? null
                            : Map.of("result", "ok", "calls", calls.subList(0, Math.min(limit, calls.size())));
                }
                case "query" -> {
                    queried.add(String.valueOf(command.get("call-id")));
                    yield known.contains(String.valueOf(command.get("call-id"))) ? Map.of("result", "ok")
                            : Map.of("result", "error", "error-reason", "Unknown call-id");
                }
                default -> Map.of("result", "error", "error-reason", "Unknown command");
            };
        }

        @Override
        public void close() {
            peer.close();
        }
    }
}
