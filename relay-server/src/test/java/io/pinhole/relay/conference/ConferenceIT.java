package io.pinhole.relay.conference;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.OurRelay;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The conference mixer end to end: our relay in this JVM, phones on real UDP sockets on
 * 127.0.0.1 that join over ng, send their own tone and check by spectrum what they hear.
 */
@Timeout(60)
class ConferenceIT {

    private static final Pattern PORT = Pattern.compile("m=audio (\\d+) ");

    private OurRelay relay;
    private NgClient ng;
    private final List<ConferencePhone> phones = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        relay = new OurRelay(OurRelay.testDefaults().withConferences(32, 100, 3));
        ng = new NgClient(relay.ng());
    }

    @AfterEach
    void stop() {
        phones.forEach(ConferencePhone::close);
        ng.close();
        relay.close();
    }

    private ConferencePhone phone(G711 codec, double hertz, int ssrc) throws Exception {
        ConferencePhone p = new ConferencePhone(codec, hertz, ssrc);
        phones.add(p);
        return p;
    }

    private static Map<String, Object> req(String command, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("command", command);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private Map<String, Object> join(ConferencePhone p, String callId, String room, String direction, Object... extra)
            throws Exception {
        Map<String, Object> r = req("join", "call-id", callId, "from-tag", "tag-" + callId, "room", room,
                "sdp", p.offer(true, direction), "label", callId + "@a.example");
        for (int i = 0; i < extra.length; i += 2) {
            r.put((String) extra[i], extra[i + 1]);
        }
        Map<String, Object> reply = ng.call(r);
        if ("ok".equals(reply.get("result"))) {
            Matcher m = PORT.matcher((String) reply.get("sdp"));
            assertThat(m.find()).isTrue();
            p.relay(new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1))));
        }
        return reply;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> party(String callId) throws Exception {
        Map<String, Object> reply = ng.call(req("query", "call-id", callId, "from-tag", "tag-" + callId));
        return (Map<String, Object>) reply.get("party");
    }

    /** Each phone's energy at each frequency over the packets received in the window. */
    private static double[] energies(ConferencePhone p, double... hertz) {
        short[] s = ConferencePhone.samples(p.received());
        double[] e = new double[hertz.length];
        for (int i = 0; i < hertz.length; i++) {
            e[i] = Goertzel.power(s, 0, s.length, hertz[i]);
        }
        return e;
    }

    private static void assertConsecutive(ConferencePhone p) {
        List<ConferencePhone.Received> r = p.received();
        assertThat(r.size()).isGreaterThan(10);
        for (int i = 1; i < r.size(); i++) {
            assertThat((r.get(i).seq() - r.get(i - 1).seq()) & 0xFFFF).as("seq step at %d", i).isEqualTo(1);
            assertThat((r.get(i).timestamp() - r.get(i - 1).timestamp()) & 0xFFFFFFFFL).as("ts step at %d", i)
                    .isEqualTo(160);
            assertThat(r.get(i).ssrc()).isEqualTo(r.get(0).ssrc());
        }
    }

    @Test
    void threePartiesHearTheOthersAndNotThemselves() throws Exception {
        ConferencePhone a = phone(G711.PCMU, 500, 0xA);
        ConferencePhone b = phone(G711.PCMA, 900, 0xB);
        ConferencePhone c = phone(G711.PCMU, 1400, 0xC);
        assertThat(join(a, "call-a", "sales@a.example", "sendrecv")).containsEntry("state", "joined");
        Map<String, Object> jb = join(b, "call-b", "sales@a.example", "sendrecv");
        assertThat((String) jb.get("sdp")).contains("m=audio").contains(" RTP/AVP 8 101").contains("a=rtpmap:8 PCMA/8000")
                .contains("a=ptime:20").contains("a=sendrecv");
        join(c, "call-c", "sales@a.example", "sendrecv");
        a.startTone();
        b.startTone();
        c.startTone();
        Thread.sleep(1000); // join tones and jitter priming at the start
        for (ConferencePhone p : List.of(a, b, c)) {
            p.clearReceived();
        }
        Thread.sleep(2000);
        double[] ea = energies(a, 500, 900, 1400);
        double[] eb = energies(b, 500, 900, 1400);
        double[] ec = energies(c, 500, 900, 1400);
        // each hears the two others, and its own tone at least 20 dB below them
        assertThat(ea[1]).isGreaterThan(100 * ea[0]);
        assertThat(ea[2]).isGreaterThan(100 * ea[0]);
        assertThat(eb[0]).isGreaterThan(100 * eb[1]);
        assertThat(eb[2]).isGreaterThan(100 * eb[1]);
        assertThat(ec[0]).isGreaterThan(100 * ec[2]);
        assertThat(ec[1]).isGreaterThan(100 * ec[2]);
        for (ConferencePhone p : List.of(a, b, c)) {
            assertConsecutive(p);
            assertThat(p.received().size()).isBetween(85, 115); // 50 frames a second
        }
        assertThat(b.received().get(0).payloadType()).isEqualTo(8);
        assertThat(a.received().get(0).payloadType()).isEqualTo(0);
        Set<Integer> ssrcs = new HashSet<>();
        for (ConferencePhone p : List.of(a, b, c)) {
            ssrcs.add(p.received().get(0).ssrc());
        }
        assertThat(ssrcs).hasSize(3);

        // query: the room and one party
        @SuppressWarnings("unchecked")
        List<Object> parties = (List<Object>) ng.call(req("query", "room", "sales@a.example")).get("parties");
        assertThat(parties).hasSize(3);
        assertThat(party("call-b")).containsEntry("codec", "PCMA").containsEntry("state", "joined")
                .containsEntry("held", 0L).containsEntry("muted", 0L);
        assertThat((Long) party("call-b").get("packets-in")).isGreaterThan(100);

        // c leaves: a and b still hear each other, and no longer c
        Map<String, Object> left = ng.call(req("leave", "call-id", "call-c", "from-tag", "tag-call-c"));
        assertThat(left).containsEntry("result", "ok").containsKey("totals");
        Thread.sleep(400);
        a.clearReceived();
        b.clearReceived();
        Thread.sleep(1000);
        ea = energies(a, 500, 900, 1400);
        eb = energies(b, 500, 900, 1400);
        assertThat(ea[1]).isGreaterThan(100 * ea[2]).isGreaterThan(100 * ea[0]);
        assertThat(eb[0]).isGreaterThan(100 * eb[2]).isGreaterThan(100 * eb[1]);
        assertConsecutive(a);

        // b holds: the mix goes on for a (no gap), a no longer hears b, b gets nothing
        Map<String, Object> hold = join(b, "call-b", "sales@a.example", "sendonly");
        assertThat((String) hold.get("sdp")).contains("a=recvonly");
        assertThat(party("call-b")).containsEntry("held", 1L);
        Thread.sleep(300);
        a.clearReceived();
        b.clearReceived();
        Thread.sleep(1000);
        assertThat(a.received().size()).isBetween(40, 60);
        assertConsecutive(a);
        assertThat(b.received()).isEmpty();
        ea = energies(a, 900);
        assertThat(ea[0]).isLessThan(1000);

        // delete by call-id removes the party
        Map<String, Object> deleted = ng.call(req("delete", "call-id", "call-b"));
        assertThat(deleted).containsEntry("result", "ok").containsKey("totals");
        assertThat((List<?>) ng.call(req("query", "room", "sales@a.example")).get("parties")).hasSize(1);
        assertThat(ng.call(req("leave", "call-id", "call-b", "from-tag", "tag-call-b")))
                .containsEntry("error-reason", "unknown call");
    }

    @Test
    void pinLobbyRefusesAfterThreeWrongAttemptsAndAdmitsTheRightPin() throws Exception {
        ConferencePhone wrong = phone(G711.PCMU, 500, 0x1);
        ConferencePhone right = phone(G711.PCMA, 900, 0x2);
        assertThat(join(wrong, "call-w", "board", "sendrecv", "pin", "1234")).containsEntry("state", "lobby");
        assertThat(join(right, "call-r", "board", "sendrecv", "pin", "1234")).containsEntry("state", "lobby");
        wrong.startTone(); // latches its source
        right.startTone();
        Thread.sleep(200);
        wrong.key("9999");
        wrong.key("12#");
        eventually(Duration.ofSeconds(2), () -> party("call-w").get("pin-failures").equals(2L),
                "two wrong PINs counted");
        assertThat(party("call-w")).containsEntry("state", "lobby");
        wrong.key("0000");
        eventually(Duration.ofSeconds(2), () -> "refused".equals(party("call-w").get("state")),
                "the party with the wrong PIN refused");
        assertThat(party("call-w")).containsEntry("pin-failures", 3L);
        wrong.key("1234");
        Thread.sleep(200);
        assertThat(party("call-w")).containsEntry("state", "refused");

        right.key("1234");
        eventually(Duration.ofSeconds(2), () -> "joined".equals(party("call-r").get("state")),
                "the party with the right PIN joined");
        assertThat(party("call-r")).containsEntry("pin-failures", 0L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void limitsAnswerWithTheContractsErrors() throws Exception {
        ConferencePhone p1 = phone(G711.PCMU, 500, 1);
        ConferencePhone p2 = phone(G711.PCMU, 500, 2);
        ConferencePhone p3 = phone(G711.PCMU, 500, 3);
        assertThat(join(p1, "l1", "small", "sendrecv", "max-parties", 2)).containsEntry("result", "ok");
        assertThat(join(p2, "l2", "small", "sendrecv")).containsEntry("result", "ok");
        assertThat((String) join(p3, "l3", "small", "sendrecv").get("error-reason")).startsWith("room full");
        assertThat((String) join(p3, "l3", "other", "sendrecv", "pin", "12a").get("error-reason"))
                .startsWith("invalid");
        Map<String, Object> g722 = ng.call(req("join", "call-id", "l4", "from-tag", "t", "room", "other", "sdp",
                "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 9\r\n"));
        assertThat((String) g722.get("error-reason")).startsWith("no common codec");
        assertThat((String) ng.call(req("query", "room", "nowhere")).get("error-reason")).isEqualTo("unknown room");
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) ng.call(req("statistics")).get("statistics");
        assertThat(stats.get("conferences")).isEqualTo(Map.of("rooms", 1L, "parties", 2L));
        assertThat((List<Object>) ng.call(req("list")).get("rooms")).containsExactly("small");
        assertThat(ng.call(req("block media", "call-id", "l1", "from-tag", "tag-l1"))).containsEntry("result", "ok");
        assertThat(party("l1")).containsEntry("muted", 1L);
        ng.call(req("delete", "call-id", "l1"));
        ng.call(req("delete", "call-id", "l2"));
        assertThat(ng.call(req("list"))).doesNotContainKey("rooms");
    }
}
