package io.pinhole.sip;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Which datagrams' Call-ID is read from the bytes; the others are left to the parser (no Call-ID here). */
class ResponseCallIdTest {

    private static String callIdOf(String message) {
        byte[] data = message.replace("|", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        int start = ResponseCallId.valueStart(data, data.length);
        return start < 0 ? "none" : new String(data, start, ResponseCallId.valueEnd(data, start, data.length) - start,
                StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "as sent;               SIP/2.0 200 OK|Via: SIP/2.0/UDP h|Call-ID: nat-ping-1-2@h|CSeq: 1 OPTIONS||; nat-ping-1-2@h",
            "compact form;          SIP/2.0 200 OK|v: SIP/2.0/UDP h|i: nat-ping-1-2@h|l: 0||;                                     nat-ping-1-2@h",
            "capital compact;       SIP/2.0 404 Not Found|I:nat-probe-9@h||;                                                      nat-probe-9@h",
            "any case, no space;    SIP/2.0 200 OK|CALL-id:abc||;                                                                 abc",
            "blanks around colon;   SIP/2.0 200 OK|Call-ID \t :  \t abc  |x: y||;                                                 abc",
            "at the very end;       SIP/2.0 200 OK|Call-ID: abc;                                                                  abc",
            "In-Reply-To first;     SIP/2.0 200 OK|In-Reply-To: zzz|Call-Info: <http://x>|Call-ID: abc||;                         abc",
            "a request;             OPTIONS sip:h SIP/2.0|Call-ID: abc||;                                                         none",
            "only in the body;      SIP/2.0 200 OK|Content-Length: 14||Call-ID: abc|;                                             none",
            "no Call-ID;            SIP/2.0 200 OK|Via: SIP/2.0/UDP h||;                                                          none",
            "folded value;          SIP/2.0 200 OK|Call-ID:| abc||;                                                               none",
            "truncated after colon; SIP/2.0 200 OK|Call-ID:;                                                                      none",
            "truncated name;        SIP/2.0 200 OK|Call-I;                                                                        none",
            "truncated status line; SIP/2.0;                                                                                      none",
            "leading CRLF;          |SIP/2.0 200 OK|Call-ID: abc||;                                                               none",
            "SIP/2.0 inside a line; XSIP/2.0 200 OK|Call-ID: abc||;                                                               none",
            "a CRLF keepalive;      ||;                                                                                           none",
    })
    void readsTheCallIdOfAResponseOnly(String what, String message, String expected) {
        assertThat(callIdOf(message)).as(what).isEqualTo(expected);
    }

    @Test
    void readsLinesEndedByABareLineFeed() {
        assertThat(callIdOf("SIP/2.0 200 OK\nTo: <sip:b@h>\nCall-ID: abc\n\n")).isEqualTo("abc");
    }
}
