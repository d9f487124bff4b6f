package io.pinhole.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.pinhole.proxy.media.SdpParser;
import io.pinhole.proxy.nat.NatEvidence;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.Flow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** What the NAT detector is shown of a new call's legs. */
class NatEvidencesTest {

    private static final Flow SOURCE = new Flow("203.0.113.5", 40000, "UDP");

    @Test
    void callerSourceAgainstItsViaContactAndOffer() throws Exception {
        SIPRequest invite = invite("Contact: <sip:alice@192.168.1.20:5062>\r\n");
        var offer = SdpParser.parse("v=0\r\no=- 1 1 IN IP4 192.168.1.20\r\ns=-\r\nc=IN IP4 192.168.1.20\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\n");
        assertThat(NatEvidences.caller(SOURCE, invite, offer)).isEqualTo(new NatEvidence("203.0.113.5", 40000,
                "192.168.1.20", 5060, "192.168.1.20", 5062, List.of("192.168.1.20")));
    }

    @Test
    void callerWithoutContactOrOffer() throws Exception {
        assertThat(NatEvidences.caller(SOURCE, invite(""), null)).isEqualTo(new NatEvidence("203.0.113.5", 40000,
                "192.168.1.20", 5060, null, -1, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "a contact with a port           | sip:bob@10.0.0.7:5070           | 10.0.0.7    | 5070",
            "a contact without a port        | sip:bob@10.0.0.7                | 10.0.0.7    | -1",
            "a contact by name               | sips:bob@phone.example          | phone.example | -1",
            "a tel: contact is no evidence   | tel:+15551234                   | null        | -1",
            "an unparsable contact is none   | sip:bob@[not an address         | null        | -1",
    })
    void calleeFlowAgainstItsRegisteredContact(String why, String contact, String host, int port) {
        Binding binding = new Binding(1, "bob@example.com", "k", contact, "cid", 1, null, 600,
                Instant.parse("2026-01-01T00:10:00Z"), new Flow("198.51.100.9", 41000, "UDP"), null, null, null);
        assertThat(NatEvidences.callee(binding, new AddressFactoryImpl())).isEqualTo(new NatEvidence("198.51.100.9",
                41000, null, -1, host, port, List.of()));
    }

    private static SIPRequest invite(String contactLine) throws Exception {
        String text = "INVITE sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK-nat;rport\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "Call-ID: nat-1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + contactLine
                + "Max-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
        return (SIPRequest) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false,
                null);
    }
}
