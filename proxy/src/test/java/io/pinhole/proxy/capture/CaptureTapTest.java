package io.pinhole.proxy.capture;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.pinhole.sip.Slf4jStackLogger;
import io.pinhole.sip.hep.WireBytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What the ladder keeps of a message: the bytes as received or sent, secrets redacted. */
class CaptureTapTest {

    private static final String SECRET = "alice@edge.example:" + "cd".repeat(32);

    private final CallCapture capture = new CallCapture(10, 100);
    private final CaptureTap tap = new CaptureTap(capture);

    @BeforeEach
    void captureOn() {
        Slf4jStackLogger.traceMessages(true); // as a stack with a capture does
    }

    @AfterEach
    void captureOff() {
        Slf4jStackLogger.traceMessages(false);
    }

    /** Compact header names and odd spacing survive: the text is the datagram, not the message formatted again. */
    @Test
    void keepsTheBytesTheStackReceived() throws Exception {
        String datagram = "INVITE sip:bob@example.com SIP/2.0\r\nv: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-tap\r\n"
                + "f: <sip:alice@example.com>;tag=1\r\nt: <sip:bob@example.com>\r\ni: tap-1\r\nCSeq:  1 INVITE\r\n"
                + "Max-Forwards: 70\r\nl: 0\r\n\r\n";
        byte[] wire = datagram.getBytes(StandardCharsets.US_ASCII);
        SIPMessage invite = parse(wire);
        WireBytes.received(invite, wire);
        try {
            tap.message(invite, false, "192.0.2.1:5060", 1_000L);
        } finally {
            WireBytes.forget(invite);
        }

        CapturedMessage kept = capture.ladder("tap-1").orElseThrow().messages().get(0);

        assertThat(kept.text()).isEqualTo(datagram);
        assertThat(kept.firstLine()).isEqualTo("INVITE sip:bob@example.com SIP/2.0");
        assertThat(kept.sent()).isFalse();
    }

    /** Without the bytes at hand (TCP, TLS) the message is formatted, as before. */
    @Test
    void formatsAMessageWhoseBytesTheStackDidNotLeave() throws Exception {
        SIPMessage invite = parse(("INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-t2\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: tap-2\r\n"
                + "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

        tap.message(invite, true, "192.0.2.1:5060", 1_000L);

        assertThat(capture.ladder("tap-2").orElseThrow().messages().get(0).text()).isEqualTo(invite.encode());
    }

    /** An edge agent's bearer token never reaches the ladder, even though the bytes received carry it. */
    @Test
    void redactsTheEdgeTokenOfWhatItKeeps() throws Exception {
        String datagram = "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-t3\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: tap-3\r\n"
                + "CSeq: 1 INVITE\r\nPinhole-Edge: id=3f1c;token=" + SECRET + "\r\nContent-Length: 0\r\n\r\n";
        byte[] wire = datagram.getBytes(StandardCharsets.US_ASCII);
        SIPMessage invite = parse(wire);
        WireBytes.received(invite, wire);
        try {
            tap.message(invite, false, "192.0.2.1:5060", 1_000L);
        } finally {
            WireBytes.forget(invite);
        }

        String kept = capture.ladder("tap-3").orElseThrow().messages().get(0).text();

        assertThat(kept).doesNotContain("cdcd").contains("token=redacted").contains("Call-ID: tap-3");
    }

    private static SIPMessage parse(byte[] bytes) throws Exception {
        return new StringMsgParser().parseSIPMessage(bytes, true, false, null);
    }
}
