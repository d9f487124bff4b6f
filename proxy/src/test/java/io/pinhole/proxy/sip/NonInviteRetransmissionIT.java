package io.pinhole.proxy.sip;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.testsupport.RawSip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static io.pinhole.testsupport.RawSip.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A non-INVITE request repeated after its final response gets that response again, byte for
 * byte, from its transaction (RFC 3261 17.2.2), although the transaction let go of its request at
 * the answer ({@link NonInviteLinger}). Answered a second time by a handler, it would carry another
 * random To tag.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NonInviteRetransmissionIT {

    private ProxyInstance proxy;

    @BeforeAll
    void start() {
        proxy = ProxyInstance.start(Map.of());
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @Test
    void aRepeatedOptionsGetsTheSameTwoHundredAgain() {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            String options = request(sip, "OPTIONS", "sip:127.0.0.1:" + proxy.sipPort(), null);

            String first = answer(sip, options);
            String repeated = answer(sip, options);

            assertThat(status(first)).as(first).isEqualTo(200);
            assertThat(repeated).as("the transaction's 200, sent again").isEqualTo(first);
        }
    }

    @Test
    void aRepeatedByeOfNoCallGetsTheSameAnswerAgain() {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            String bye = request(sip, "BYE", "sip:127.0.0.1:" + proxy.sipPort(), "gone");

            String first = answer(sip, bye);
            String repeated = answer(sip, bye);

            assertThat(status(first)).as(first).isEqualTo(481);
            assertThat(repeated).as("the transaction's 481, sent again").isEqualTo(first);
        }
    }

    @Test
    void anRfc2543RequestIsAnsweredWhileAnsweredNonInviteTransactionsLinger() {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            String uri = "sip:127.0.0.1:" + proxy.sipPort();
            assertThat(status(answer(sip, request(sip, "OPTIONS", uri, null)))).isEqualTo(200);
            assertThat(status(answer(sip, request(sip, "REGISTER", "sip:example.test", null)))).isBetween(400, 499);
            // no RFC 3261 branch: the RI matches it by walking every lingering server transaction
            String old = request(sip, "OPTIONS", uri, null).replaceFirst(";rport;branch=z9hG4bK[^\r]*", "");

            assertThat(status(answer(sip, old))).as("RFC 2543 OPTIONS: %s", old).isEqualTo(200);
        }
    }

    /** The answer to {@code message} (neither request gets a provisional one), on a busy machine too. */
    private static String answer(RawSip sip, String message) {
        sip.send(message);
        return sip.receive(Duration.ofSeconds(10)).orElseThrow();
    }

    private static String request(RawSip sip, String method, String uri, String toTag) {
        long n = System.nanoTime();
        return method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + sip.localPort() + ";rport;branch=z9hG4bKrepeat" + n + "\r\n"
                + "From: <sip:probe@example.test>;tag=r" + n + "\r\n"
                + "To: <" + uri + ">" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: repeat-" + n + "\r\nCSeq: 1 " + method + "\r\nMax-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
    }
}
