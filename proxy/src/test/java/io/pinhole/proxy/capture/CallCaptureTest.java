package io.pinhole.proxy.capture;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallCaptureTest {

    private long clock;

    @Test
    void keepsACallsMessagesInTheOrderSeenAcrossBothLegs() {
        CallCapture capture = new CallCapture(10, 100);
        capture.record("a", true, message("a", false, "INVITE sip:bob@x SIP/2.0"));
        capture.link("a", "b");
        capture.record("b", true, message("b", true, "INVITE sip:bob@10.0.0.2 SIP/2.0"));
        capture.record("b", false, message("b", false, "SIP/2.0 200 OK"));
        capture.record("a", false, message("a", true, "SIP/2.0 200 OK"));
        capture.record("a", false, message("a", false, "BYE sip:p SIP/2.0"));

        CallLadder byCaller = capture.ladder("a").orElseThrow();

        assertThat(byCaller.callId()).isEqualTo("a");
        assertThat(byCaller.legs()).containsExactly("a", "b");
        assertThat(byCaller.messages()).extracting(m -> m.callId() + (m.sent() ? " > " : " < ") + m.firstLine())
                .containsExactly("a < INVITE sip:bob@x SIP/2.0", "b > INVITE sip:bob@10.0.0.2 SIP/2.0",
                        "b < SIP/2.0 200 OK", "a > SIP/2.0 200 OK", "a < BYE sip:p SIP/2.0");
        assertThat(capture.ladder("b")).as("found by either leg").contains(byCaller);
        assertThat(capture.calls()).isEqualTo(1);
    }

    /** The stack reports a sent message after sending it: the answer can reach the capture first. */
    @Test
    void ordersByTheStacksTimeNotByArrivalAtTheCapture() {
        CallCapture capture = new CallCapture(10, 100);
        capture.record("a", true, message("a", false, "INVITE sip:x SIP/2.0"));
        Supplier<CapturedMessage> sent407 = message("a", true, "SIP/2.0 407 Proxy Authentication Required");
        Supplier<CapturedMessage> ack = message("a", false, "ACK sip:x SIP/2.0");
        capture.record("a", false, ack);
        capture.record("a", false, sent407);

        assertThat(capture.ladder("a").orElseThrow().messages()).extracting(CapturedMessage::firstLine)
                .containsExactly("INVITE sip:x SIP/2.0", "SIP/2.0 407 Proxy Authentication Required", "ACK sip:x SIP/2.0");
    }

    @Test
    void messagesOfNoCapturedCallAreNeverEncoded() {
        CallCapture capture = new CallCapture(10, 100);
        AtomicInteger encoded = new AtomicInteger();
        Supplier<CapturedMessage> counting = () -> {
            encoded.incrementAndGet();
            return message("r", false, "REGISTER sip:x SIP/2.0").get();
        };

        capture.record("r", false, counting);
        capture.record("a", true, message("a", false, "INVITE sip:x SIP/2.0"));
        capture.record("r", false, counting);

        assertThat(encoded).hasValue(0);
        assertThat(capture.ladder("r")).isEmpty();
    }

    @Test
    void keepsTheFirstMessagesOfACallAndCountsTheRest() {
        CallCapture capture = new CallCapture(10, 3);
        AtomicInteger encoded = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            int n = i;
            capture.record("a", i == 0, () -> {
                encoded.incrementAndGet();
                return message("a", false, "M" + n + " sip:x SIP/2.0").get();
            });
        }

        CallLadder ladder = capture.ladder("a").orElseThrow();

        assertThat(ladder.messages()).extracting(CapturedMessage::firstLine)
                .containsExactly("M0 sip:x SIP/2.0", "M1 sip:x SIP/2.0", "M2 sip:x SIP/2.0");
        assertThat(ladder.dropped()).isEqualTo(2);
        assertThat(encoded).as("a full call encodes nothing more").hasValue(3);
    }

    @Test
    void evictsTheOldestCallWithAllItsLegs() {
        CallCapture capture = new CallCapture(2, 100);
        capture.record("a", true, message("a", false, "INVITE sip:1 SIP/2.0"));
        capture.link("a", "a-leg");
        capture.record("b", true, message("b", false, "INVITE sip:2 SIP/2.0"));
        capture.record("c", true, message("c", false, "INVITE sip:3 SIP/2.0"));
        capture.record("a-leg", false, message("a-leg", false, "SIP/2.0 200 OK"));

        assertThat(capture.ladder("a")).isEmpty();
        assertThat(capture.ladder("a-leg")).as("the evicted call's other leg goes too").isEmpty();
        assertThat(capture.ladder("b")).isPresent();
        assertThat(capture.ladder("c")).isPresent();
        assertThat(capture.calls()).isEqualTo(2);
    }

    @Test
    void aRetransmittedInviteStaysInItsCall() {
        CallCapture capture = new CallCapture(2, 100);
        capture.record("a", true, message("a", false, "INVITE sip:1 SIP/2.0"));
        capture.record("a", true, message("a", false, "INVITE sip:1 SIP/2.0"));
        capture.record("b", true, message("b", false, "INVITE sip:2 SIP/2.0"));

        assertThat(capture.ladder("a").orElseThrow().messages()).hasSize(2);
        assertThat(capture.calls()).isEqualTo(2);
    }

    @Test
    void aLinkToAnUncapturedCallIsIgnored() {
        CallCapture capture = new CallCapture(2, 100);
        capture.link("gone", "leg");
        capture.record("leg", false, message("leg", false, "SIP/2.0 180 Ringing"));

        assertThat(capture.ladder("leg")).isEmpty();
        assertThat(capture.calls()).isZero();
    }

    @Test
    void zeroRecentCallsTurnsTheCaptureOff() {
        CallCapture capture = new CallCapture(0, 100);
        capture.record("a", true, message("a", false, "INVITE sip:1 SIP/2.0"));

        assertThat(capture.enabled()).isFalse();
        assertThat(capture.ladder("a")).isEmpty();
    }

    @Test
    void refusesNegativeBounds() {
        assertThatThrownBy(() -> new CallCapture(-1, 10)).hasMessageContaining("recentCalls");
        assertThatThrownBy(() -> new CallCapture(10, 0)).hasMessageContaining("messagesPerCall");
    }

    @Test
    void theFirstLineEndsAtTheLineBreak() {
        assertThat(new CapturedMessage(Instant.EPOCH, true, "p", "c", "SIP/2.0 180 Ringing\r\nVia: x\r\n\r\n")
                .firstLine()).isEqualTo("SIP/2.0 180 Ringing");
        assertThat(new CapturedMessage(Instant.EPOCH, true, "p", "c", "garbage").firstLine()).isEqualTo("garbage");
    }

    private Supplier<CapturedMessage> message(String callId, boolean sent, String firstLine) {
        Instant at = Instant.ofEpochMilli(++clock);
        return () -> new CapturedMessage(at, sent, "192.0.2.1:5060", callId, firstLine + "\r\nCall-ID: " + callId
                + "\r\n\r\n");
    }
}
