package io.pinhole.proxy.routing;

import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RedirectAnswersTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static SIPResponse response(String statusLine, String... contacts) throws Exception {
        StringBuilder text = new StringBuilder("SIP/2.0 ").append(statusLine).append("\r\n")
                .append("Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\nFrom: <sip:a@a.example>;tag=1\r\n")
                .append("To: <sip:b@b.example>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\n");
        for (String contact : contacts) {
            text.append("Contact: ").append(contact).append("\r\n");
        }
        text.append("Content-Length: 0\r\n\r\n");
        return (SIPResponse) new StringMsgParser().parseSIPMessage(text.toString().getBytes(), true, false, null);
    }

    @Test
    void ordersContactsByQAndCachesForTheShortestExpires() throws Exception {
        RedirectAnswer answer = RedirectAnswers.read(response("302 Moved Temporarily",
                "<sip:b@198.51.100.2:5060>;q=0.5;expires=600",
                "<sip:b@198.51.100.1:5060>;q=0.9;expires=120",
                "<sip:b@198.51.100.3:5060>;expires=900"), NOW, Duration.ofSeconds(60));

        assertThat(answer).isInstanceOf(RedirectAnswer.Targets.class);
        RedirectAnswer.Targets targets = (RedirectAnswer.Targets) answer;
        assertThat(targets.targets()).extracting(RedirectTarget::uri).containsExactly(
                "sip:b@198.51.100.3:5060", "sip:b@198.51.100.1:5060", "sip:b@198.51.100.2:5060");
        assertThat(targets.expiresAt()).isEqualTo(NOW.plusSeconds(120));
    }

    @Test
    void withoutExpiresTheDefaultApplies() throws Exception {
        var targets = (RedirectAnswer.Targets) RedirectAnswers.read(response("301 Moved Permanently", "<sip:b@h>"),
                NOW, Duration.ofSeconds(60));

        assertThat(targets.expiresAt()).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void refusalsPassBackAndA3xxWithoutContactsIsNoRoute() throws Exception {
        assertThat(RedirectAnswers.read(response("404 Not Found"), NOW, Duration.ZERO))
                .isEqualTo(new RedirectAnswer.Refused(404, "Not Found"));
        assertThat(RedirectAnswers.read(response("302 Moved Temporarily"), NOW, Duration.ZERO))
                .isEqualTo(new RedirectAnswer.Refused(404, "No route"));
        assertThat(RedirectAnswers.read(response("482 Loop Detected"), NOW, Duration.ZERO))
                .isEqualTo(new RedirectAnswer.Refused(482, "Loop Detected"));
    }
}
