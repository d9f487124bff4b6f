package io.pinhole.proxy.conference;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy's side of conference rooms, against {@link FakeRoomRelay} (the ng contract without
 * media) and real SIPp phones on loopback: the party's dialog (407, 200 with the relay's SDP, ACK,
 * hold re-INVITE, BYE), what the proxy asks the relay (join with room, PIN and cap; leave),
 * the CDR, the full room's 486, the wrong PIN's BYE with 403, and the admin API's live view.
 * {@link ConferenceIT} does the same with a real relay, real mixing and phones behind NATs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConferenceSignallingIT {

    private static final String DOMAIN = "sig.example";
    private static final String PASSWORD = "correct-horse";

    private FakeRoomRelay relay;
    private ProxyInstance proxy;

    @BeforeAll
    void start() throws IOException {
        relay = new FakeRoomRelay();
        proxy = ProxyInstance.start(Map.of("pinhole.media.default-relay", relay.control(),
                "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false,
                "pinhole.media.timeout-check-interval", "1s", "pinhole.conference.adhoc-prefix", "conf-"));
        for (String user : List.of("ann", "ben", "cat")) {
            proxy.addUser(DOMAIN, user, PASSWORD);
        }
        assertThat(proxy.admin("POST", "/api/domains/" + DOMAIN + "/conferences",
                "{\"name\":\"pair\",\"maxParties\":2}").statusCode()).isEqualTo(201);
        assertThat(proxy.admin("POST", "/api/domains/" + DOMAIN + "/conferences",
                "{\"name\":\"locked\",\"pin\":\"4711\"}").statusCode()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @BeforeEach
    void clean() {
        proxy.bean(JdbcTemplate.class).update("DELETE FROM calls");
        relay.commands.clear();
    }

    private Sipp party(String scenario, String user, String room) {
        return Sipp.scenario(scenario, proxy.sipTarget()).service(user).credentials(user, PASSWORD)
                .key("domain", DOMAIN).key("room", room);
    }

    private List<Map<String, Object>> cdrs() {
        return proxy.bean(JdbcTemplate.class).queryForList("SELECT * FROM calls ORDER BY id");
    }

    @Test
    void aPartyIsAnsweredHoldsAndLeavesAndItsCdrNamesTheRoom() throws IOException {
        double leavesBefore = metric("pinhole_conference_leaves_total");
        double joinedBefore = metric("pinhole_conference_joins_total{result=\"joined\"}");
        byte[] pcap = Files.readAllBytes(Tones.pcap(Tones.tone(800, 1, 6000), "sig"));
        Sipp.Running ann = party("conference-party.xml", "ann", "pair").file("party.pcap", pcap).arg("-d", "3000")
                .start();
        eventually(Duration.ofSeconds(10), () -> proxy.admin("GET", "/api/conferences", null).body()
                .contains("\"state\":\"joined\""), "ann joined");
        String live = proxy.admin("GET", "/api/conferences", null).body();
        assertThat(live).contains("\"room\":\"pair@sig.example\"", "\"caller\":\"ann@sig.example\"",
                "\"codec\":\"PCMA\"", "\"held\":false");
        String callId = live.replaceAll("(?s).*\"callId\":\"([^\"]+)\".*", "$1");
        assertThat(proxy.admin("POST", "/api/conferences/pair@sig.example/parties/" + callId + "/mute", null)
                .statusCode()).isEqualTo(204);
        assertThat(proxy.admin("GET", "/api/conferences", null).body()).contains("\"muted\":true");
        Sipp.Result result = ann.await();
        assertThat(result.passed()).as(result.describe()).isTrue();

        List<Map<String, Object>> joins = relay.named("join");
        assertThat(joins).hasSize(2).allSatisfy(j -> assertThat(j).containsEntry("room", "pair@sig.example")
                .containsEntry("max-parties", 2L).containsEntry("label", "ann@sig.example").doesNotContainKey("pin"));
        assertThat(joins.get(0).get("call-id")).isEqualTo(joins.get(1).get("call-id"));
        assertThat(joins.get(0).get("from-tag")).isEqualTo(joins.get(1).get("from-tag"));
        assertThat(String.valueOf(joins.get(1).get("sdp"))).as("the hold re-offer").contains("a=sendonly");
        assertThat(relay.named("block media")).hasSize(1);
        eventually(Duration.ofSeconds(5), () -> relay.named("leave").size() == 1, "leave after the BYE");
        eventually(Duration.ofSeconds(5), () -> cdrs().size() == 1, "the party's CDR");
        assertThat(cdrs().get(0)).containsEntry("outcome", "answered").containsEntry("callee", "pair@sig.example")
                .containsEntry("conference", "pair@sig.example").containsEntry("packets", 100L)
                .containsEntry("media_path", "RELAY_UDP");
        assertThat(proxy.admin("GET", "/api/conferences", null).body()).isEqualTo("[]");
        assertThat(metric("pinhole_conference_rooms_active")).isZero();
        assertThat(metric("pinhole_conference_parties_active")).isZero();
        assertThat(metric("pinhole_conference_leaves_total")).isEqualTo(leavesBefore + 1);
        assertThat(metric("pinhole_conference_joins_total{result=\"joined\"}")).isEqualTo(joinedBefore + 1);
    }

    @Test
    void aFullRoomAnswers486AndTheOthersStay() throws IOException {
        byte[] pcap = Files.readAllBytes(Tones.pcap(Tones.tone(800, 1, 6000), "sig"));
        Sipp.Running ann = party("conference-party.xml", "ann", "pair").file("party.pcap", pcap).arg("-d", "6000")
                .start();
        Sipp.Running ben = party("conference-party.xml", "ben", "pair").file("party.pcap", pcap).arg("-d", "6000")
                .start();
        eventually(Duration.ofSeconds(10), () -> proxy.admin("GET", "/api/conferences", null).body()
                .split("\"joined\"", -1).length == 3, "ann and ben joined");
        Sipp.Result cat = party("conference-full.xml", "cat", "pair").run();
        assertThat(cat.passed()).as("486 with Reason conference full\n" + cat.describe()).isTrue();
        assertThat(ann.await().passed()).isTrue();
        assertThat(ben.await().passed()).isTrue();
        eventually(Duration.ofSeconds(5), () -> cdrs().size() == 3, "three CDRs");
        assertThat(cdrs()).filteredOn(c -> "busy".equals(c.get("outcome"))).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("sip_status", 486).containsEntry("caller", "cat@sig.example"));
    }

    @Test
    void aWrongPinEndsTheCallWith403() throws IOException {
        byte[] pcap = Files.readAllBytes(Tones.pcap(Tones.digits("1111", 101), "pin"));
        Sipp.Result cat = party("conference-pin.xml", "cat", "locked").file("digits.pcap", pcap).run();
        assertThat(cat.passed()).as("BYE with Reason 403 wrong conference PIN\n" + cat.describe()).isTrue();
        assertThat(relay.named("join").get(0)).containsEntry("pin", "4711");
        eventually(Duration.ofSeconds(5), () -> cdrs().size() == 1, "the CDR");
        assertThat(cdrs().get(0)).containsEntry("outcome", "conference-pin-refused")
                .containsEntry("conference", "locked@sig.example");
    }

    @Test
    void anAdhocPrefixOpensARoomAndOrdinaryUsersAreNotRooms() throws IOException {
        byte[] pcap = Files.readAllBytes(Tones.pcap(Tones.tone(800, 1, 6000), "sig"));
        Sipp.Result adhoc = party("conference-party.xml", "ann", "conf-standup").file("party.pcap", pcap)
                .arg("-d", "500").run();
        assertThat(adhoc.passed()).as(adhoc.describe()).isTrue();
        assertThat(relay.named("join").get(0)).containsEntry("room", "conf-standup@sig.example")
                .doesNotContainKeys("pin", "max-parties");
        // ben is a user (not registered): no room, 480 as before
        Sipp.Result user = Sipp.scenario("call-uac-480.xml", proxy.sipTarget()).service("ann")
                .credentials("ann", PASSWORD).key("domain", DOMAIN).key("callee", "ben").key("sdp_ip", "127.0.0.1").run();
        assertThat(user.passed()).as(user.describe()).isTrue();
    }

    private double metric(String series) {
        return proxy.admin("GET", "/actuator/prometheus", null).body().lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + series));
    }
}
