package io.pinhole.proxy.call;

import gov.nist.javax.sip.parser.StringMsgParser;

import javax.sip.message.Message;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/** A provisional response to an INVITE, parsed from text, for tests of what its headers say. */
final class ProvisionalText {

    private ProvisionalText() {
    }

    /** {@code statusLine} (e.g. {@code 183 Session Progress}) with {@code headers} (each ending in CRLF). */
    static Message parse(String statusLine, String headers) {
        String text = "SIP/2.0 " + statusLine + "\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-prov\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\n"
                + "To: <sip:bob@example.com>;tag=2\r\n"
                + "Call-ID: prov-1\r\n"
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
