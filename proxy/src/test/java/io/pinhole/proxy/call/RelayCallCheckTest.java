package io.pinhole.proxy.call;

import io.pinhole.wire.ng.NgException;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RelayCallCheckTest {

    @Test
    void aCompleteListProvesTheMissingCallsGone() {
        RelayCallCheck.Verdict verdict = RelayCallCheck.judge(List.of("a", "b", "c"), List.of("a", "other-proxy", "c"), 1000);

        assertThat(verdict.gone()).containsExactly("b");
        assertThat(verdict.unsure()).isEmpty();
    }

    @Test
    void aListAsLongAsItsLimitMayHaveLeftCallsOut() {
        RelayCallCheck.Verdict verdict = RelayCallCheck.judge(List.of("c", "a", "b"), List.of("a", "x"), 2);

        assertThat(verdict.gone()).isEmpty();
        assertThat(verdict.unsure()).containsExactly("b", "c");
    }

    @Test
    void noReplyJudgesNothingAndLeavesEveryCallOpen() {
        RelayCallCheck.Verdict verdict = RelayCallCheck.judge(Set.of("b", "a"), null, 1000);

        assertThat(verdict.gone()).isEmpty();
        assertThat(verdict.unsure()).containsExactly("a", "b");
    }

    @Test
    void anEmptyListEndsEveryCall() {
        assertThat(RelayCallCheck.judge(List.of("a", "b"), List.of(), 1000).gone()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void theLimitFollowsTheCallIdSizesSoTheReplyFitsOneDatagram() {
        List<String> shortIds = ids(100, 20);   // 23 bytes each in bencode
        List<String> longIds = ids(100, 97);    // 100 bytes each

        assertThat(RelayCallCheck.nextLimit(1000, shortIds)).isEqualTo(RelayCallCheck.REPLY_BUDGET / 23);
        assertThat(RelayCallCheck.nextLimit(1000, longIds)).isEqualTo(480);
        assertThat(480 * 100).as("Call-ID bytes of a full reply at that limit").isLessThan(65_507);
        assertThat(RelayCallCheck.nextLimit(1000, ids(10, 3))).isEqualTo(RelayCallCheck.MAX_LIMIT);
        assertThat(RelayCallCheck.nextLimit(1000, ids(10, 2000))).isEqualTo(RelayCallCheck.MIN_LIMIT);
        assertThat(RelayCallCheck.nextLimit(700, List.of())).as("an empty relay teaches nothing").isEqualTo(700);
    }

    @Test
    void noReplyHalvesTheLimitDownToAFloor() {
        assertThat(RelayCallCheck.nextLimit(1000, null)).isEqualTo(500);
        assertThat(RelayCallCheck.nextLimit(100, null)).isEqualTo(RelayCallCheck.MIN_LIMIT);
    }

    @Test
    void queriesTakeTurnsAfterTheLastOneAskedAbout() {
        List<String> unsure = List.of("a", "b", "c", "d", "e");

        assertThat(RelayCallCheck.toQuery(unsure, null, 2)).containsExactly("a", "b");
        assertThat(RelayCallCheck.toQuery(unsure, "b", 2)).containsExactly("c", "d");
        assertThat(RelayCallCheck.toQuery(unsure, "d", 2)).containsExactly("e", "a");
        assertThat(RelayCallCheck.toQuery(unsure, "bb", 2)).as("cursor call gone meanwhile").containsExactly("c", "d");
        assertThat(RelayCallCheck.toQuery(unsure, "c", 10)).containsExactly("d", "e", "a", "b", "c");
        assertThat(RelayCallCheck.toQuery(List.of(), "c", 10)).isEmpty();
    }

    @Test
    void onlyAnAnswerThatTheRelayDoesNotKnowTheCallCountsAsGone() {
        assertThat(RelayCallCheck.unknownCall(new NgException("Unknown call-id", false))).isTrue();
        assertThat(RelayCallCheck.unknownCall(new CompletionException(new NgException("Unknown call-id", false)))).isTrue();
        assertThat(RelayCallCheck.unknownCall(new NgException("relay did not answer within PT2S", true))).isFalse();
        assertThat(RelayCallCheck.unknownCall(new NgException("Incorrect signature", false))).isFalse();
        assertThat(RelayCallCheck.unknownCall(new IllegalStateException("Unknown call-id"))).isFalse();
    }

    private static List<String> ids(int count, int length) {
        return IntStream.range(0, count).mapToObj(i -> String.join("", Collections.nCopies(length, "x"))).toList();
    }
}
