package io.pinhole.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/** Which new INVITEs can become a call, and the answer to those that cannot. */
class InviteCheckTest {

    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";
    private static final String SDP_HOST_NAME = SDP.replace("c=IN IP4 192.0.2.10", "c=IN IP4 phone.example");
    private static final String NOT_SDP = "v=0\r\nthis is not SDP\r\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no hops left                | sip:bob@example.com  | sip:alice@example.com | 0  | sdp      | 483 | Too Many Hops",
            "tel: Request-URI            | tel:+15551234        | sip:alice@example.com | 70 | sdp      | 416 | Unsupported URI Scheme",
            "Request-URI without a user  | sip:example.com      | sip:alice@example.com | 70 | sdp      | 416 | Unsupported URI Scheme",
            "From without a user         | sip:bob@example.com  | sip:example.com       | 70 | sdp      | 400 | From must be a SIP URI with a user",
            "From a tel: URI             | sip:bob@example.com  | tel:+15550000         | 70 | sdp      | 400 | From must be a SIP URI with a user",
            "a body that is not SDP      | sip:bob@example.com  | sip:alice@example.com | 70 | text     | 415 | Unsupported Media Type",
            "malformed SDP               | sip:bob@example.com  | sip:alice@example.com | 70 | bad-sdp  | 400 | Malformed SDP: malformed SDP line",
            "host name in c=             | sip:bob@example.com  | sip:alice@example.com | 70 | hostname | 488 | Not Acceptable Here: host name in c= line, an IP address is required",
    })
    void refuses(String why, String requestUri, String from, int maxForwards, String body, int status, String reason) {
        assertThat(InviteCheck.check(invite(requestUri, from, maxForwards, body)))
                .isEqualTo(new InviteCheck.Invalid(status, reason));
    }

    @Test
    void acceptsAnOfferAndCountsOurHop() {
        InviteCheck.Valid valid = (InviteCheck.Valid) InviteCheck.check(
                invite("sip:bob@example.com", "sip:alice@example.com", 70, "sdp"));
        assertThat(valid.target().getUser()).isEqualTo("bob");
        assertThat(valid.from().getUser()).isEqualTo("alice");
        assertThat(valid.maxForwards()).isEqualTo(69);
        assertThat(valid.sdp()).isEqualTo(SDP);
        assertThat(valid.summary().connectionAddresses()).containsExactly("192.0.2.10");
    }

    @Test
    void acceptsAnInviteWithoutOfferOnItsLastHop() {
        InviteCheck.Valid valid = (InviteCheck.Valid) InviteCheck.check(
                invite("sip:bob@example.com", "sip:alice@example.com", 1, "none"));
        assertThat(valid.maxForwards()).isZero();
        assertThat(valid.sdp()).isNull();
        assertThat(valid.summary()).isNull();
    }

    private static SIPRequest invite(String requestUri, String from, int maxForwards, String body) {
        String content = switch (body) {
            case "sdp" -> SDP;
            case "hostname" -> SDP_HOST_NAME;
            case "bad-sdp" -> NOT_SDP;
            case "text" -> "hello";
            default -> "";
        };
        String type = switch (body) {
            case "none" -> "";
            case "text" -> "Content-Type: text/plain\r\n";
            default -> "Content-Type: application/sdp\r\n";
        };
        String text = "INVITE " + requestUri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-check;rport\r\n"
                + "From: <" + from + ">;tag=1\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "Call-ID: check-1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:alice@192.0.2.10:5060>\r\n"
                + "Max-Forwards: " + maxForwards + "\r\n"
                + type
                + "Content-Length: " + content.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n"
                + content;
        try {
            return (SIPRequest) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true,
                    false, null);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
