package io.pinhole.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetransmissionsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Retransmissions counter = new Retransmissions(meters, now::get);

    private static SIPMessage invite(String branch) throws Exception {
        return parse("INVITE sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\n"
                + "Call-ID: call-1@192.0.2.10\r\nCSeq: 1 INVITE\r\nContact: <sip:alice@192.0.2.10>\r\n"
                + "Content-Length: 0\r\n\r\n");
    }

    private static SIPMessage response(int status, String branch) throws Exception {
        return parse("SIP/2.0 " + status + " Whatever\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=" + branch + "\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>;tag=b1\r\n"
                + "Call-ID: call-1@192.0.2.10\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
    }

    private static SIPMessage parse(String text) throws Exception {
        return new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
    }

    private double count(String direction) {
        return meters.get("pinhole.sip.retransmissions").tag("direction", direction).counter().count();
    }

    @Test
    void theSameRequestReceivedAgainIsOneRetransmissionIn() throws Exception {
        counter.message(invite("z9hG4bK-1"), false, "192.0.2.10:5060", 0);
        counter.message(invite("z9hG4bK-1"), false, "192.0.2.10:5060", 0);
        counter.message(invite("z9hG4bK-1"), false, "192.0.2.10:5060", 0);

        assertThat(count("in")).isEqualTo(2);
        assertThat(count("out")).isZero();
    }

    @Test
    void aNewTransactionOrANewAnswerIsNoRetransmission() throws Exception {
        counter.message(invite("z9hG4bK-1"), false, "192.0.2.10:5060", 0);
        counter.message(invite("z9hG4bK-2"), false, "192.0.2.10:5060", 0);
        counter.message(response(180, "z9hG4bK-1"), true, "192.0.2.10:5060", 0);
        counter.message(response(200, "z9hG4bK-1"), true, "192.0.2.10:5060", 0);

        assertThat(count("in")).isZero();
        assertThat(count("out")).isZero();
    }

    @Test
    void aFinalAnswerSentAgainIsOneRetransmissionOut() throws Exception {
        counter.message(response(200, "z9hG4bK-1"), true, "192.0.2.10:5060", 0);
        counter.message(response(200, "z9hG4bK-1"), true, "192.0.2.10:5060", 0);
        // the same answer received is another direction's message
        counter.message(response(200, "z9hG4bK-1"), false, "192.0.2.10:5060", 0);

        assertThat(count("out")).isEqualTo(1);
        assertThat(count("in")).isZero();
    }

    @Test
    void aMessageSeenAfterTheTransactionWindowIsNew() throws Exception {
        counter.message(invite("z9hG4bK-1"), false, "192.0.2.10:5060", 0);
        now.addAndGet(Retransmissions.WINDOW_MILLIS);
        counter.message(invite("z9hG4bK-1"), false, "192.0.2.10:5060", 0);

        assertThat(count("in")).isZero();
        assertThat(counter.size()).isEqualTo(1);
    }

    @Test
    void bothCountersExistBeforeAnyMessage() {
        assertThat(count("in")).isZero();
        assertThat(count("out")).isZero();
    }
}
