package io.pinhole.sip;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ReadableParseErrorsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'CSeq: one OPTIONS\n:Number format exception'          | CSeq: one OPTIONS :Number format exception",
            "'[C@314b8428\nExpecting  >>>><<< got >>>\n<<<'          | Expecting > got",
            "'OPTIONS sip:@@@ SIP/2.0\n: Missing host name'          | OPTIONS sip:@@@ SIP/2.0 : Missing host name",
            "'bad (thing)\r\n\u0000'                                 | bad [thing]",
            "'\n'                                                     | unparsable message"})
    void makesOneReadableLine(String message, String reason) {
        assertThat(ReadableParseErrors.reason(message)).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource("200")
    void capsTheLength(int length) {
        assertThat(ReadableParseErrors.reason("x".repeat(length))).hasSize(120);
    }

    @org.junit.jupiter.api.Test
    void writesTheBadRequestFromTheRequestsOwnLines() {
        String request = "OPTIONS sip:@@@ SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5080;branch=z9hG4bK1\r\n"
                + "f: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: c1\r\nCSeq: 7 OPTIONS\r\n"
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

        assertThat(ReadableParseErrors.badRequest(request, "Missing host name")).isEqualTo(
                "SIP/2.0 400 Bad Request (Missing host name)\r\nVia: SIP/2.0/UDP 192.0.2.1:5080;branch=z9hG4bK1\r\n"
                        + "f: <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=pinhole-400\r\nCall-ID: c1\r\n"
                        + "CSeq: 7 OPTIONS\r\nContent-Length: 0\r\n\r\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5080;branch=z\r\n' | 5080",
            "'INVITE sip:x SIP/2.0\r\nv: SIP/2.0/UDP host.example;rport\r\n'       | 5060",
            "'INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.1:5080\r\n'          | 5080",
            "'INVITE sip:x SIP/2.0\r\nVia: garbage\r\n'                             | -1"})
    void answersToTheTopViaPort(String request, int port) {
        assertThat(ReadableParseErrors.viaPort(request.replace("\\r\\n", "\r\n"))).isEqualTo(port);
    }

    @ParameterizedTest
    @CsvSource({"'INVITE sip:x SIP/2.0', true", "'ACK sip:x SIP/2.0', false", "'SIP/2.0 200 OK', false",
            "'garbage', false", "'INVITE sip:user@example.com; lr SIP/2.0', true", "'RE%47IST%45R sip:x SIP/2.0', true"})
    void answersRequestsOtherThanAck(String firstLine, boolean answerable) {
        assertThat(ReadableParseErrors.isAnswerableRequest(firstLine + "\r\n")).isEqualTo(answerable);
    }

    @org.junit.jupiter.api.Test
    void aHeaderTheParserThrowsOnUncheckedIsRefusedLikeAnyMalformedMessage() {
        String invite = "INVITE sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-rack\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\n"
                + "Call-ID: rack-1@192.0.2.1\r\nCSeq: 2 INVITE\r\nRAck: <sip:proxy.example.com>\r\n"
                + "Content-Length: 0\r\n\r\n";
        byte[] bytes = invite.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // what the RI's own parser does with it: an unchecked exception, no answer possible
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new gov.nist.javax.sip.parser.StringMsgParser()
                        .parseSIPMessage(bytes, true, false, null))
                .isInstanceOf(NumberFormatException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReadableParseErrors.parseOrRefuse(
                        new gov.nist.javax.sip.parser.StringMsgParser(), bytes, true, false, null))
                .isInstanceOf(java.text.ParseException.class).hasMessageContaining("malformed header");
    }

    @org.junit.jupiter.api.Test
    void aViaWhoseRportIsNoPortIsRefusedBeforeTheStackTriesToAnswerIt() throws Exception {
        String register = "REGISTER sip:example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-r1;rport=z9hG4bK-x\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:alice@example.com>\r\n"
                + "Call-ID: rport-1@192.0.2.1\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n";
        byte[] bytes = register.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // the RI parses it, and fails only when it answers: no answer ever goes out
        gov.nist.javax.sip.message.SIPRequest parsed = (gov.nist.javax.sip.message.SIPRequest)
                new gov.nist.javax.sip.parser.StringMsgParser().parseSIPMessage(bytes, true, false, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parsed.createResponse(200))
                .isInstanceOf(NumberFormatException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReadableParseErrors.parseOrRefuse(
                        new gov.nist.javax.sip.parser.StringMsgParser(), bytes, true, false, null))
                .isInstanceOf(java.text.ParseException.class).hasMessageContaining("Via rport is not a port number");
        // an empty rport (the client asks for it) and a number are fine
        for (String via : new String[] {";rport", ";rport=5062"}) {
            byte[] good = register.replace(";rport=z9hG4bK-x", via).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            org.assertj.core.api.Assertions.assertThat(ReadableParseErrors.parseOrRefuse(
                    new gov.nist.javax.sip.parser.StringMsgParser(), good, true, false, null)).isNotNull();
        }
    }
}
