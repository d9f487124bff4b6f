package io.pinhole.sip;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnswerTapTest {

    private record Recording(String callIdPrefix, List<String> heard) implements StatelessAnswers {
        Recording(String callIdPrefix) {
            this(callIdPrefix, new ArrayList<>());
        }

        @Override
        public void answered(String callId) {
            heard.add(callId);
        }
    }

    private final Recording pings = new Recording("nat-ping-");
    private final Recording probes = new Recording("nat-probe-");
    private final AnswerTap tap = new AnswerTap(List.of(pings, probes));

    private static byte[] response(String callId) {
        return ("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport=5060\r\n"
                + "From: <sip:keepalive@192.0.2.1>;tag=1\r\nTo: <sip:u@example.test>;tag=2\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private boolean take(byte[] datagram) {
        // the receiving buffer is larger than the datagram: only [0, length) counts
        byte[] buffer = new byte[datagram.length + 100];
        System.arraycopy(datagram, 0, buffer, 0, datagram.length);
        return tap.take(buffer, datagram.length);
    }

    @Test
    void handsEachAnswerToTheOwnerOfItsPrefix() {
        assertThat(take(response("nat-ping-12-3@192.0.2.1"))).isTrue();
        assertThat(take(response("nat-probe-5@192.0.2.1"))).isTrue();

        assertThat(pings.heard()).containsExactly("nat-ping-12-3@192.0.2.1");
        assertThat(probes.heard()).containsExactly("nat-probe-5@192.0.2.1");
        assertThat(tap.takenFromDatagrams()).isEqualTo(2);
    }

    @Test
    void leavesOtherResponsesAndRequestsToTheStack() {
        assertThat(take(response("a84b4c76e66710@pc33.example.com"))).isFalse();
        assertThat(take(response("nat-pin"))).as("shorter than the prefix").isFalse();
        assertThat(take(("OPTIONS sip:u@example.test SIP/2.0\r\nCall-ID: nat-ping-1-1@h\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII))).as("a request").isFalse();

        assertThat(pings.heard()).isEmpty();
        assertThat(tap.takenFromDatagrams()).isZero();
    }

    @Test
    void takesParsedAnswersThatGotPastTheSocket() {
        assertThat(tap.take("nat-ping-1-1@h")).isTrue();
        assertThat(tap.take("other@h")).isFalse();
        assertThat(tap.take((String) null)).isFalse();

        assertThat(pings.heard()).containsExactly("nat-ping-1-1@h");
        assertThat(tap.takenFromMessages()).isEqualTo(1);
    }

    @Test
    void anEmptyTapTakesNothing() {
        assertThat(AnswerTap.NONE.take(response("nat-ping-1-1@h"), response("nat-ping-1-1@h").length)).isFalse();
        assertThat(AnswerTap.NONE.take("nat-ping-1-1@h")).isFalse();
    }

    @Test
    void refusesPrefixesThatCouldClaimTheSameAnswer() {
        assertThatThrownBy(() -> new AnswerTap(List.of(new Recording("nat-"), new Recording("nat-ping-"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Call-ID prefixes nat- and nat-ping- overlap");
        assertThatThrownBy(() -> new AnswerTap(List.of(new Recording("ab"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 or more ASCII characters");
        assertThatThrownBy(() -> new AnswerTap(List.of(new Recording("nät-ping-"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 or more ASCII characters");
    }
}
