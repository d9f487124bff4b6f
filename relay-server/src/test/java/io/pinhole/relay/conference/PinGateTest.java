package io.pinhole.relay.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.conference.PinGate.Outcome;
import org.junit.jupiter.api.Test;

class PinGateTest {

    private static Outcome keys(PinGate g, String keys) {
        Outcome last = Outcome.NONE;
        for (char c : keys.toCharArray()) {
            last = g.key(c);
        }
        return last;
    }

    @Test
    void withoutPinThePartyIsJoinedAtOnce() {
        assertThat(new PinGate(null).state()).isEqualTo(PartyState.JOINED);
    }

    @Test
    void theRightPinJoins() {
        PinGate g = new PinGate("4711");
        assertThat(g.state()).isEqualTo(PartyState.LOBBY);
        assertThat(keys(g, "471")).isEqualTo(Outcome.NONE);
        assertThat(g.key('1')).isEqualTo(Outcome.JOINED);
        assertThat(g.state()).isEqualTo(PartyState.JOINED);
        assertThat(g.key('1')).isEqualTo(Outcome.NONE); // keys after joining change nothing
    }

    @Test
    void hashComparesEarlyAndStarStartsOver() {
        PinGate g = new PinGate("4711");
        assertThat(keys(g, "47#")).isEqualTo(Outcome.WRONG);
        assertThat(g.failures()).isEqualTo(1);
        assertThat(keys(g, "99*4711")).isEqualTo(Outcome.JOINED);
        assertThat(g.failures()).isEqualTo(1);
    }

    @Test
    void theThirdWrongAttemptRefuses() {
        PinGate g = new PinGate("12");
        assertThat(keys(g, "00")).isEqualTo(Outcome.WRONG);
        assertThat(keys(g, "00")).isEqualTo(Outcome.WRONG);
        assertThat(keys(g, "00")).isEqualTo(Outcome.REFUSED);
        assertThat(g.state()).isEqualTo(PartyState.REFUSED);
        assertThat(keys(g, "12")).isEqualTo(Outcome.NONE);
        assertThat(g.state()).isEqualTo(PartyState.REFUSED);
        assertThat(g.failures()).isEqualTo(3);
    }

    @Test
    void validPinsAreOneToSixteenDigits() {
        assertThat(PinGate.valid("0")).isTrue();
        assertThat(PinGate.valid("1234567890123456")).isTrue();
        assertThat(PinGate.valid("12345678901234567")).isFalse();
        assertThat(PinGate.valid("")).isFalse();
        assertThat(PinGate.valid("12a")).isFalse();
    }

    @Test
    void anEventCountsOnceDespiteItsRedundantEndPackets() {
        TelephoneEvents e = new TelephoneEvents();
        assertThat(e.accept(1000, 5, 10)).isEqualTo((char) 0); // no end bit yet
        assertThat(e.accept(1000, 5, 0x80 | 10)).isEqualTo('5');
        assertThat(e.accept(1000, 5, 0x80 | 10)).isEqualTo((char) 0);
        assertThat(e.accept(1000, 5, 0x80 | 10)).isEqualTo((char) 0);
        assertThat(e.accept(2600, 5, 0x80 | 10)).isEqualTo('5'); // the same key again, a new event
        assertThat(e.accept(4200, 11, 0x80)).isEqualTo('#');
        assertThat(e.accept(5800, 10, 0x80)).isEqualTo('*');
        assertThat(e.accept(7400, 16, 0x80)).isEqualTo((char) 0); // not a key
    }
}
