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

    /**
     * A transaction of an RFC 2543 request keeps its request (only those of RFC 3261 requests let
     * go of it, see {@link NonInviteLinger}): its retransmission is matched by reading it, while
     * released RFC 3261 transactions linger beside it, and gets the same answer, To tag and all.
     */
    @Test
    void aRepeatedRfc2543OptionsAndRegisterGetTheSameAnswerAgain() {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            String uri = "sip:127.0.0.1:" + proxy.sipPort();
            assertThat(status(answer(sip, request(sip, "OPTIONS", uri, null)))).isEqualTo(200);
            String options = rfc2543(request(sip, "OPTIONS", uri, null));
            String register = rfc2543(request(sip, "REGISTER", "sip:example.test", null));

            String firstOptions = answer(sip, options);
            String repeatedOptions = answer(sip, options);
            String firstRegister = answer(sip, register);
            String repeatedRegister = answer(sip, register);

            assertThat(status(firstOptions)).as(firstOptions).isEqualTo(200);
            assertThat(repeatedOptions).as("the RFC 2543 OPTIONS's 200, sent again").isEqualTo(firstOptions);
            assertThat(status(firstRegister)).as(firstRegister).isBetween(400, 499);
            assertThat(repeatedRegister).as("the RFC 2543 REGISTER's answer, sent again").isEqualTo(firstRegister);
        }
    }

    /**
     * The ACK of an RFC 2543 INVITE's final answer matches the INVITE's transaction (RFC 3261
     * §17.2.3, by its fields and top Via), which then stops sending the answer again (Timer G),
     * while released RFC 3261 non-INVITE transactions linger beside it.
     */
    @Test
    void theAckOfAnRfc2543InvitesFailureEndsItsRetransmissions() {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            String uri = "sip:127.0.0.1:" + proxy.sipPort();
            assertThat(status(answer(sip, request(sip, "OPTIONS", uri, null)))).isEqualTo(200);
            // a To tag of no dialog: the INVITE's transaction answers 481 and repeats it until the ACK
            String invite = rfc2543(request(sip, "INVITE", "sip:nobody@127.0.0.1:" + proxy.sipPort(), "nodialog"));
            String failure = answer(sip, invite);
            assertThat(status(failure)).as(failure).isBetween(400, 499);

            sip.send(invite.replaceFirst("^INVITE", "ACK").replaceFirst("CSeq: 1 INVITE", "CSeq: 1 ACK"));

            assertThat(sip.receive(Duration.ofSeconds(3))).as("the answer repeated after the ACK").isEmpty();
        }
    }

    /** {@code request} as an RFC 2543 phone sends it: its top Via without a branch (nor rport). */
    private static String rfc2543(String request) {
        return request.replaceFirst(";rport;branch=z9hG4bK[^\r]*", "");
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
