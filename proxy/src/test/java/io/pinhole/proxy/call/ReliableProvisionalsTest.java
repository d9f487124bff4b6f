package io.pinhole.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.parser.StringMsgParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.sip.message.Message;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/** Which messages ask for reliable provisional responses (RFC 3262). */
class ReliableProvisionalsTest {

    /** Headers of a 180, one per {@code ;}. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Require: 100rel                  | Require: 100rel                 | true",
            "case does not matter             | Require: 100REL                 | true",
            "among other option tags          | Require: timer, 100rel          | true",
            "in a second Require header       | Require: timer; Require: 100rel | true",
            "only supported is no requirement | Supported: 100rel               | false",
            "another option tag               | Require: timer                  | false",
            "no Require                       | Server: test                    | false",
    })
    void readsRequire(String why, String headers, boolean expected) {
        assertThat(ReliableProvisionals.required(ringing(headers.replace("; ", "\r\n") + "\r\n"))).isEqualTo(expected);
    }

    private static Message ringing(String headers) {
        String text = "SIP/2.0 180 Ringing\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-rel\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\n"
                + "To: <sip:bob@example.com>;tag=2\r\n"
                + "Call-ID: rel-1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + headers
                + "Content-Length: 0\r\n\r\n";
        try {
            return new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
