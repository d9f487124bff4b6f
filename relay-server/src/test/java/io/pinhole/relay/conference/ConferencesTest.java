package io.pinhole.relay.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The control side of conferences without sockets: ports are plain numbers, the loop runs tasks at once. */
class ConferencesTest {

    private int nextPort = 40000;

    private final PartyPorts ports = new PartyPorts() {
        @Override
        public void open(Party party) {
            party.bound(nextPort, null, null);
            nextPort += 2;
        }

        @Override
        public void close(Party party) {
        }
    };

    private final MediaClock clock = new MediaClock(System::nanoTime);
    private final Conferences conferences = new Conferences(new ConferenceSettings(4, 2, 3), ports, Runnable::run,
            clock, "192.0.2.1");

    private static String offer(String formats, String extra) {
        return "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 5000 RTP/AVP " + formats
                + "\r\na=rtpmap:101 telephone-event/8000\r\n" + extra;
    }

    private JoinResult join(String call, String room, String pin, int max) throws ConferenceException {
        return conferences.join(new JoinRequest(call, "tag", room, offer("8 0 101", ""), pin, max, call));
    }

    @Test
    void answersWithTheFirstG711OfTheOfferAndItsTelephoneEvent() throws Exception {
        JoinResult r = conferences.join(new JoinRequest("c1", "t", "room", offer("9 8 0 101", ""), null, 0, "alice"));
        assertThat(r.state()).isEqualTo(PartyState.JOINED);
        assertThat(r.sdp()).contains("c=IN IP4 192.0.2.1\r\n").contains("m=audio 40000 RTP/AVP 8 101\r\n")
                .contains("a=rtpmap:8 PCMA/8000\r\n").contains("a=rtpmap:101 telephone-event/8000\r\n")
                .contains("a=ptime:20\r\n").contains("a=sendrecv\r\n").doesNotContain("PCMU");
    }

    @Test
    void aReOfferKeepsThePortAndStateAndFollowsTheHold() throws Exception {
        assertThat(join("c1", "room", "12", 0).state()).isEqualTo(PartyState.LOBBY);
        JoinResult again = conferences.join(new JoinRequest("c1", "tag", "room", offer("0 101", "a=sendonly\r\n"),
                "12", 0, "c1"));
        assertThat(again.sdp()).contains("m=audio 40000 ").contains("a=recvonly");
        assertThat(again.state()).isEqualTo(PartyState.LOBBY);
        Party p = conferences.party("c1", "tag");
        assertThat(p.held()).isTrue();
        assertThat(p.codec()).isEqualTo(G711.PCMU);
        JoinResult oldHold = conferences.join(new JoinRequest("c1", "tag", "room",
                offer("0", "").replace("c=IN IP4 10.0.0.1", "c=IN IP4 0.0.0.0"), null, 0, "c1"));
        assertThat(oldHold.sdp()).contains("a=recvonly");
        assertThat(conferences.join(new JoinRequest("c1", "tag", "room", offer("0", "a=inactive\r\n"), null, 0, "c1"))
                .sdp()).contains("a=inactive");
        conferences.join(new JoinRequest("c1", "tag", "room", offer("0", ""), null, 0, "c1"));
        assertThat(p.held()).isFalse();
        assertThat(conferences.room("room").members()).hasSize(1);
    }

    @Test
    void limitsAnswerWithTheContractsWords() throws Exception {
        join("a", "r1", null, 2);
        join("b", "r1", null, 0);
        assertThatThrownBy(() -> join("c", "r1", null, 0)).hasMessageStartingWith("room full");
        join("d", "r2", null, 99); // above the ceiling: capped at 4
        assertThat(conferences.room("r2").capacity()).isEqualTo(4);
        assertThatThrownBy(() -> join("e", "r3", null, 0)).hasMessageStartingWith("too many rooms");
        assertThatThrownBy(() -> join("f", "r2", "12x", 0)).hasMessageStartingWith("invalid pin");
        assertThatThrownBy(() -> conferences.join(new JoinRequest("g", "t", "r2", offer("9 18", ""), null, 0, "")))
                .hasMessageStartingWith("no common codec");
        assertThatThrownBy(() -> conferences.join(new JoinRequest("g", "t", "r2",
                offer("0", "").replace("RTP/AVP", "RTP/SAVP"), null, 0, ""))).hasMessageStartingWith("no common codec");
        assertThatThrownBy(() -> conferences.join(new JoinRequest("g", "t", "r2", "garbage", null, 0, "")))
                .hasMessageStartingWith("invalid sdp");
    }

    @Test
    void noPortsIsTheContractsError() {
        Conferences none = Conferences.none();
        assertThatThrownBy(() -> none.join(new JoinRequest("a", "t", "r", offer("0", ""), null, 0, "")))
                .hasMessageStartingWith("no ports");
    }

    @Test
    void leaveAndDeleteRemovePartiesAndTheLastOneTheRoom() throws Exception {
        join("a", "r1", null, 0);
        conferences.join(new JoinRequest("a", "other-tag", "r1", offer("0", ""), null, 0, "a2"));
        join("b", "r1", null, 0);
        assertThat(conferences.deleteCall("a")).hasSize(2);
        assertThat(conferences.room("r1").members()).hasSize(1);
        assertThat(conferences.hasCall("a")).isFalse();
        assertThatThrownBy(() -> conferences.leave("a", "tag")).hasMessage("unknown call");
        conferences.leave("b", "tag");
        assertThat(conferences.room("r1")).isNull();
        assertThat(conferences.partyCount()).isZero();
        assertThat(conferences.deleteCall("nobody")).isEmpty();
    }

    @Test
    void muteIsPerParty() throws Exception {
        join("a", "r1", null, 0);
        conferences.mute("a", "tag", true);
        assertThat(conferences.party("a", "tag").muted()).isTrue();
        conferences.mute("a", "tag", false);
        assertThat(conferences.party("a", "tag").muted()).isFalse();
        assertThatThrownBy(() -> conferences.mute("x", "tag", true)).hasMessage("unknown call");
    }
}
