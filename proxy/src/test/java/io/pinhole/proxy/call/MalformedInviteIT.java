package io.pinhole.proxy.call;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.testsupport.RawSip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Optional;

import static io.pinhole.testsupport.RawSip.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad INVITEs (in the spirit of RFC 4475's invalid messages) get a 4xx with a reason, or are
 * dropped with a log line when they do not parse; the proxy answers the next request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedInviteIT {

    private ProxyInstance proxy;

    @BeforeAll
    void start() {
        proxy = ProxyInstance.start(Map.of("pinhole.calls.max-new-per-second", 1000));
        proxy.addUser("m.example", "bob", "correct-horse");
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @AfterEach
    void stillAnswers() {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            Optional<String> answer = sip.request("OPTIONS sip:m.example SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:"
                    + sip.localPort() + ";branch=z9hG4bKok" + System.nanoTime() + "\r\nFrom: <sip:x@y.example>;tag=1\r\n"
                    + "To: <sip:m.example>\r\nCall-ID: ok" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\n"
                    + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            assertThat(answer).isPresent();
            assertThat(status(answer.get())).isEqualTo(200);
        }
    }

    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

    static String invite(int localPort, String requestUri, String extraHeaders, String contentType, String body) {
        String content = body == null ? "Content-Length: 0\r\n\r\n"
                : "Content-Type: " + contentType + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        return "INVITE " + requestUri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + localPort + ";branch=z9hG4bK" + System.nanoTime() + "\r\n"
                + "From: <sip:carol@foreign.example>;tag=f1\r\n"
                + "To: <sip:bob@m.example>\r\n"
                + "Call-ID: bad-" + System.nanoTime() + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:carol@127.0.0.1:" + localPort + ">\r\n"
                + extraHeaders
                + content;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SDP that does not parse          | sip:bob@m.example | Max-Forwards: 70 | application/sdp | v=0 garbage        | 400 | Malformed SDP",
            "absurd media port                | sip:bob@m.example | Max-Forwards: 70 | application/sdp | PORT:99999         | 400 | Malformed SDP",
            "host name in c=                  | sip:bob@m.example | Max-Forwards: 70 | application/sdp | HOSTNAME           | 488 | Not Acceptable Here: host name in c= line",
            "body that is not SDP             | sip:bob@m.example | Max-Forwards: 70 | text/plain      | hello              | 415 | Unsupported Media Type",
            "no hops left                     | sip:bob@m.example | Max-Forwards: 0  | application/sdp | SDP                | 483 | Too Many Hops",
            "tel URI                          | tel:+15551234567  | Max-Forwards: 70 | application/sdp | SDP                | 416 | Unsupported URI Scheme",
            "foreign caller to foreign domain | sip:x@elsewhere.example | Max-Forwards: 70 | application/sdp | SDP          | 403 | Relaying denied",
            "local user not registered        | sip:bob@m.example | Max-Forwards: 70 | application/sdp | SDP                | 480 | Temporarily Unavailable",
    })
    void rejectsWithReason(String name, String uri, String header, String type, String body, int status, String reason) {
        String content = switch (body) {
            case "SDP" -> SDP;
            case "PORT:99999" -> SDP.replace("4000", "99999");
            case "HOSTNAME" -> SDP.replace("c=IN IP4 192.0.2.1", "c=IN IP4 phone.example.com");
            default -> body;
        };
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            String answer = sip.request(invite(sip.localPort(), uri, header + "\r\n", type, content)).orElseThrow();

            assertThat(status(answer)).as(answer).isEqualTo(status);
            assertThat(answer.lines().findFirst().orElseThrow()).contains(reason);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"unknown SIP version", "negative Content-Length",
            "no CSeq", "garbage request line", "Content-Length beyond the datagram"})
    void unparsableInvitesAreDroppedOrRejected(String defect) {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            String good = invite(sip.localPort(), "sip:bob@m.example", "Max-Forwards: 70\r\n", null, null);
            String request = switch (defect) {
                case "unknown SIP version" -> good.replaceFirst("SIP/2.0\r\n", "SIP/7.0\r\n");
                case "negative Content-Length" -> good.replace("Content-Length: 0", "Content-Length: -999");
                case "no CSeq" -> good.replace("CSeq: 1 INVITE\r\n", "");
                case "garbage request line" -> good.replaceFirst("INVITE sip:", "INV ITE ::sip:");
                case "Content-Length beyond the datagram" -> good.replace("Content-Length: 0", "Content-Length: 5000");
                default -> throw new IllegalArgumentException(defect);
            };

            Optional<String> answer = sip.request(request);

            answer.ifPresent(a -> assertThat(status(a)).as(a).isBetween(400, 599));
        }
    }
}
