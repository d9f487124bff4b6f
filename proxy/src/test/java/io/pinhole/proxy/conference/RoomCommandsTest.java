package io.pinhole.proxy.conference;

import io.pinhole.proxy.sip.Flow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RoomCommandsTest {

    private static final Party PARTY = new Party("sales@a.example", "call-1", "tag-1", "ours", "call-1\nz9hG4bK1",
            "alice@a.example", new Flow("192.0.2.1", 5060, "UDP"), true, Instant.EPOCH, null, null);

    @Test
    void joinCarriesTheRoomItsPinAndCapOnlyWhenSet() {
        Map<String, Object> plain = RoomCommands.join(PARTY, new Room("a.example", "sales", null, null, null), "v=0");
        assertThat(plain).containsEntry("command", "join").containsEntry("call-id", "call-1")
                .containsEntry("from-tag", "tag-1").containsEntry("room", "sales@a.example").containsEntry("sdp", "v=0")
                .containsEntry("label", "alice@a.example").doesNotContainKeys("pin", "max-parties");
        Map<String, Object> guarded = RoomCommands.join(PARTY, new Room("a.example", "sales", "1234", 3, null), "v=0");
        assertThat(guarded).containsEntry("pin", "1234").containsEntry("max-parties", 3);
    }

    @Test
    void namesThePartyByCallIdAndFromTag() {
        assertThat(RoomCommands.leave(PARTY)).containsExactly(Map.entry("command", "leave"),
                Map.entry("call-id", "call-1"), Map.entry("from-tag", "tag-1"));
        assertThat(RoomCommands.mute(PARTY, true)).containsEntry("command", "block media");
        assertThat(RoomCommands.mute(PARTY, false)).containsEntry("command", "unblock media");
        assertThat(RoomCommands.query(PARTY)).containsEntry("command", "query");
    }

    @Test
    void readsTheStateOfAJoinOrAQueryReply() {
        assertThat(RoomCommands.state(Map.of("result", "ok", "state", "lobby"))).isEqualTo("lobby");
        assertThat(RoomCommands.state(Map.of("result", "ok", "party", Map.of("state", "refused")))).isEqualTo("refused");
        assertThat(RoomCommands.state(Map.of("result", "ok"))).isNull();
    }

    @Test
    void neverLogsThePin() {
        assertThat(new Room("a.example", "sales", "1234", null, null).toString()).doesNotContain("1234");
        assertThat(new CreateRoom("sales", "1234", null).toString()).doesNotContain("1234");
    }
}
