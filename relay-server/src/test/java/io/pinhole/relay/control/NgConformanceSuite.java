package io.pinhole.relay.control;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.RelayTarget;
import io.pinhole.relay.support.RtpPeer;
import io.pinhole.relay.support.Sdp;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The ng protocol as a black box: SDP in, SDP out, then real RTP through the relay, asserted on
 * the far socket. Runs against our relay ({@code OurRelayNgIT}) and against a real rtpengine
 * ({@code RtpengineNgIT}), so it checks the protocol, not our reading of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
abstract class NgConformanceSuite {

    private RelayTarget relay;
    protected NgClient ng;

    protected abstract RelayTarget start() throws Exception;

    @BeforeAll
    void startRelay() throws Exception {
        relay = start();
        ng = new NgClient(relay.ng());
    }

    @AfterAll
    void stopRelay() {
        if (ng != null) {
            ng.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    static String newCallId() {
        return UUID.randomUUID() + "@test";
    }

    protected Map<String, Object> offer(String callId, String sdp, String... flags) throws Exception {
        Map<String, Object> r = new HashMap<>();
        r.put("command", "offer");
        r.put("call-id", callId);
        r.put("from-tag", "caller");
        r.put("sdp", sdp);
        r.put("flags", List.of(flags.length == 0 ? new String[] {"trust-address"} : flags));
        r.put("replace", List.of("origin", "session-connection"));
        r.put("ICE", "remove");
        return ng.call(r);
    }

    protected Map<String, Object> answer(String callId, String sdp, String... flags) throws Exception {
        Map<String, Object> r = new HashMap<>();
        r.put("command", "answer");
        r.put("call-id", callId);
        r.put("from-tag", "caller");
        r.put("to-tag", "callee");
        r.put("sdp", sdp);
        r.put("flags", List.of(flags.length == 0 ? new String[] {"trust-address"} : flags));
        r.put("replace", List.of("origin", "session-connection"));
        r.put("ICE", "remove");
        return ng.call(r);
    }

    static String sdpOf(Map<String, Object> reply) {
        assertThat(reply).containsEntry("result", "ok");
        return (String) reply.get("sdp");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    /** tags → tag → medias[index] → streams[0] of the query reply. */
    static Map<String, Object> stream(Map<String, Object> query, String tag, int media) {
        Map<String, Object> t = map(map(query.get("tags")).get(tag));
        return map(list(map(list(t.get("medias")).get(media)).get("streams")).get(0));
    }

    @Test
    void answersPingWithPong() throws Exception {
        assertThat(ng.call(Map.of("command", "ping"))).containsEntry("result", "pong");
    }

    @Test
    void relaysRtpBothWaysAfterOfferAndAnswer() throws Exception {
        try (RtpPeer a = new RtpPeer(0x1111); RtpPeer b = new RtpPeer(0x2222)) {
            String callId = newCallId();
            String offered = sdpOf(offer(callId, Sdp.audio("127.0.0.1", a.port())));
            assertThat(Sdp.address(offered)).isEqualTo("127.0.0.1");
            assertThat(Sdp.port(offered, 0)).isNotEqualTo(a.port());
            assertThat(offered).contains("a=rtcp:" + (Sdp.port(offered, 0) + 1)).contains("a=rtpmap:8 PCMA/8000\r\n");
            String answered = sdpOf(answer(callId, Sdp.audio("127.0.0.1", b.port())));
            InetSocketAddress towardsB = Sdp.media(answered, 0); // A sends here
            InetSocketAddress towardsA = Sdp.media(offered, 0);  // B sends here
            assertThat(towardsB.getPort()).isNotEqualTo(towardsA.getPort());

            for (int i = 0; i < 10; i++) {
                a.send(towardsB);
                b.send(towardsA);
            }
            assertThat(b.receive(10, 3000)).as("A→B through the relay").isEqualTo(10);
            assertThat(a.receive(10, 3000)).as("B→A through the relay").isEqualTo(10);

            Map<String, Object> q = ng.call(Map.of("command", "query", "call-id", callId));
            assertThat(q).containsEntry("result", "ok");
            Map<String, Object> fromA = stream(q, "caller", 0);
            assertThat(map(fromA.get("stats")).get("packets")).isEqualTo(10L);
            assertThat(map(fromA.get("endpoint"))).containsEntry("address", "127.0.0.1").containsEntry("port", (long) a.port());
            assertThat(fromA).containsEntry("local port", (long) towardsB.getPort());
            assertThat(map(stream(q, "callee", 0).get("stats")).get("packets")).isEqualTo(10L);
            assertThat(ng.call(Map.of("command", "delete", "call-id", callId))).containsEntry("result", "ok");
        }
    }

    @Test
    void reofferKeepsThePorts() throws Exception {
        String callId = newCallId();
        String first = sdpOf(offer(callId, Sdp.audio("127.0.0.1", 20000)));
        sdpOf(answer(callId, Sdp.audio("127.0.0.1", 20100)));
        // a session refresh (re-INVITE with the same SDP)
        String again = sdpOf(offer(callId, Sdp.audio("127.0.0.1", 20000)));
        assertThat(Sdp.port(again, 0)).isEqualTo(Sdp.port(first, 0));
        ng.call(Map.of("command", "delete", "call-id", callId));
    }

    @Test
    void givesEachMediaLineItsOwnPorts() throws Exception {
        String callId = newCallId();
        String out = sdpOf(offer(callId, Sdp.audioVideo("127.0.0.1", 20000, 20010)));
        assertThat(out).contains("m=audio ").contains("m=video ").contains("a=rtpmap:96 H264/90000");
        int audio = Sdp.port(out, 0);
        int video = Sdp.port(out, 1);
        assertThat(audio % 2).isZero();
        assertThat(video % 2).isZero();
        assertThat(video).isNotEqualTo(audio);
        String ans = sdpOf(answer(callId, Sdp.audioVideo("127.0.0.1", 20100, 20110)));
        assertThat(Sdp.port(ans, 1)).isNotEqualTo(Sdp.port(ans, 0));
        ng.call(Map.of("command", "delete", "call-id", callId));
    }

    @Test
    void leavesADisabledStreamAloneInOfferAndAnswer() throws Exception {
        String callId = newCallId();
        String offered = sdpOf(offer(callId, Sdp.audioVideo("127.0.0.1", 20000, 0)));
        assertThat(Sdp.port(offered, 1)).isZero();
        String answered = sdpOf(answer(callId, Sdp.audioVideo("127.0.0.1", 20100, 0)));
        assertThat(Sdp.port(answered, 0)).isNotZero();
        assertThat(Sdp.port(answered, 1)).isZero();
        ng.call(Map.of("command", "delete", "call-id", callId));
    }

    @Test
    void keepsDirectionAttributes() throws Exception {
        String callId = newCallId();
        String sdp = Sdp.audio("127.0.0.1", 20000).replace("a=sendrecv", "a=sendonly");
        assertThat(sdpOf(offer(callId, sdp))).contains("a=sendonly").doesNotContain("a=sendrecv");
        ng.call(Map.of("command", "delete", "call-id", callId));
    }

    @Test
    void deleteEndsTheCall() throws Exception {
        String callId = newCallId();
        sdpOf(offer(callId, Sdp.audio("127.0.0.1", 20000)));
        assertThat(list(ng.call(Map.of("command", "list", "limit", 1000)).get("calls"))).contains(callId);
        assertThat(ng.call(Map.of("command", "delete", "call-id", callId))).containsEntry("result", "ok");
        assertThat(list(ng.call(Map.of("command", "list", "limit", 1000)).get("calls"))).doesNotContain(callId);
        assertThat(ng.call(Map.of("command", "query", "call-id", callId))).containsEntry("result", "error");
    }

    @Test
    void retransmittedCookieGetsTheCachedReply() throws Exception {
        String callId = newCallId();
        String cookie = "dup-" + UUID.randomUUID();
        Map<String, Object> req = Map.of("command", "offer", "call-id", callId, "from-tag", "caller",
                "sdp", Sdp.audio("127.0.0.1", 20000), "flags", List.of("trust-address"));
        Map<String, Object> first = ng.call(cookie, req);
        Map<String, Object> again = ng.call(cookie, req);
        assertThat(again).isEqualTo(first);
        assertThat(list(ng.call(Map.of("command", "list", "limit", 1000)).get("calls")))
                .filteredOn(callId::equals).hasSize(1);
        ng.call(Map.of("command", "delete", "call-id", callId));
    }

    @Test
    void strictSourceDropsPacketsFromAnotherSourceAfterLatching() throws Exception {
        try (RtpPeer a = new RtpPeer(0x1111); RtpPeer b = new RtpPeer(0x2222); RtpPeer intruder = new RtpPeer(0x3333)) {
            String callId = newCallId();
            String offered = sdpOf(offer(callId, Sdp.audio("127.0.0.1", a.port()), "trust-address", "strict-source"));
            String answered = sdpOf(answer(callId, Sdp.audio("127.0.0.1", b.port()), "trust-address", "strict-source"));
            InetSocketAddress towardsB = Sdp.media(answered, 0);
            InetSocketAddress towardsA = Sdp.media(offered, 0);
            for (int i = 0; i < 3; i++) {
                a.send(towardsB);
                b.send(towardsA);
            }
            assertThat(b.receive(3, 3000)).isEqualTo(3);
            assertThat(a.receive(3, 3000)).isEqualTo(3);
            for (int i = 0; i < 5; i++) {
                intruder.send(towardsB);
            }
            assertThat(b.receive(1, 500)).as("intruder's packets must not reach B").isZero();
            a.send(towardsB);
            assertThat(b.receive(1, 3000)).as("the latched source still gets through").isEqualTo(1);
            ng.call(Map.of("command", "delete", "call-id", callId));
        }
    }

    @Test
    void failedOfferAllocatesNothing() throws Exception {
        String callId = newCallId();
        Map<String, Object> r = offer(callId, "this is not SDP");
        assertThat(r).containsEntry("result", "error");
        assertThat((String) r.get("error-reason")).startsWith("Failed to parse SDP");
        assertThat(list(ng.call(Map.of("command", "list", "limit", 1000)).get("calls"))).doesNotContain(callId);
    }

    @Test
    void answersErrorsWithAReason() throws Exception {
        assertThat(ng.call(Map.of("command", "no-such-command"))).containsEntry("result", "error")
                .containsEntry("error-reason", "Unrecognized command");
        assertThat(ng.call(Map.of("command", "offer", "from-tag", "x", "sdp", Sdp.audio("127.0.0.1", 20000))))
                .containsEntry("result", "error").containsEntry("error-reason", "No call-id in message");
        assertThat(ng.call(Map.of("command", "offer", "call-id", newCallId(), "sdp", Sdp.audio("127.0.0.1", 20000))))
                .containsEntry("result", "error").containsEntry("error-reason", "No from-tag in message");
        assertThat(ng.call(Map.of("command", "answer", "call-id", newCallId(), "from-tag", "a", "to-tag", "b",
                "sdp", Sdp.audio("127.0.0.1", 20000)))).containsEntry("result", "error")
                .containsEntry("error-reason", "Unknown call-id");
        assertThat(ng.call(Map.of("command", "query", "call-id", newCallId()))).containsEntry("result", "error");
    }

    @Test
    void answersMalformedAndTruncatedBencodeWithAnError() throws Exception {
        Map<String, Object> truncated = NgClient.decode(ng.raw("trunc-" + UUID.randomUUID(),
                "d7:command5:off".getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(truncated).containsEntry("result", "error").containsKey("error-reason");
        Map<String, Object> garbage = NgClient.decode(ng.raw("garb-" + UUID.randomUUID(),
                "hello".getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(garbage).containsEntry("result", "error").containsKey("error-reason");
    }

    @Test
    void reportsStatistics() throws Exception {
        Map<String, Object> r = ng.call(Map.of("command", "statistics"));
        assertThat(r).containsEntry("result", "ok");
        assertThat(map(map(r.get("statistics")).get("currentstatistics"))).containsKey("sessionsown");
    }

    /** Waits until the relay lists no call with this id, failing the test after {@code limit}. */
    protected void awaitGone(String callId, Duration limit) {
        eventually(limit, () -> !list(ng.call(Map.of("command", "list", "limit", 1000)).get("calls"))
                .contains(callId), "call " + callId + " gone from the relay's list");
    }
}
