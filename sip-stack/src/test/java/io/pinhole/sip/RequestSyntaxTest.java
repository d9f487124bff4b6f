package io.pinhole.sip;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RequestSyntaxTest {

    private static final String HEADERS = "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nTo: <sip:b@example.com>\r\n"
            + "From: \"A \\\"quoted\\\" name\" <sip:a@example.com>;tag=1\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\n"
            + "Max-Forwards: 70\r\nl: 0\r\n\r\n";

    private static String defect(String requestLine, String headers) {
        RequestDefect defect = RequestSyntax.defect((requestLine + "\r\n" + headers).getBytes(StandardCharsets.UTF_8));
        return defect == null ? null : defect.status() + " " + defect.reason();
    }

    @Test
    void aWellFormedRequestHasNoDefect() {
        assertThat(defect("OPTIONS sip:b@example.com SIP/2.0", HEADERS)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'OPTIONS sip:b@example.com SIP/2.0  '",
            "'INVITE  sip:b@example.com  SIP/2.0'",
            "'OPTIONS sip:b@example.com'"})
    void requestLineMustBeSingleSpaced(String requestLine) {
        assertThat(defect(requestLine, HEADERS)).isEqualTo("400 Request-Line is not Method SP Request-URI SP SIP-Version");
    }

    @Test
    void aSingleValuedHeaderTwiceIsADefect() {
        assertThat(defect("OPTIONS sip:b@example.com SIP/2.0", "Content-Length: 5\r\n" + HEADERS))
                .isEqualTo("400 more than one Content-Length header");
        assertThat(defect("OPTIONS sip:b@example.com SIP/2.0", "t: <sip:c@example.com>\r\n" + HEADERS))
                .isEqualTo("400 more than one To header");
    }

    @Test
    void linesEndingInLfAloneAsTheTcpReaderPassesThem() {
        String lf = ("OPTIONS sip:b@example.com SIP/2.0\r\n" + HEADERS).replace("\r\n", "\n");
        assertThat(RequestSyntax.defect(lf.getBytes(StandardCharsets.UTF_8))).isNull();
        String trailing = ("OPTIONS sip:b@example.com SIP/2.0  \r\n" + HEADERS).replace("\r\n", "\n");
        assertThat(RequestSyntax.defect(trailing.getBytes(StandardCharsets.UTF_8))).isNotNull();
    }

    @Test
    void anotherSipVersionIs505() {
        assertThat(defect("OPTIONS sip:b@example.com SIP/7.0", HEADERS)).isEqualTo("505 SIP version not supported: SIP/7.0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'Watson, Thomas <sip:t@example.org>'       | display name with ',' must be quoted",
            "'\"Watson, Thomas\" < sip:t@example.org >' | spaces inside <>",
            "'\"Watson <sip:t@example.org>'              | unterminated quoted display name"})
    void nameAddrMustFollowTheGrammar(String value, String reason) {
        assertThat(RequestSyntax.nameAddrDefect(value)).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "' sip:vivekg@example.com ;   tag    = 1918181833n'",
            "'caller<sip:caller@example.com>;tag=323'",
            "'token1~` token2''+_ token3*%!.- <sip:mundane@example.com>;tag=x'",
            "'\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com> ; tag = 98asjd8'"})
    void acceptsTheValidTortureForms(String value) {
        assertThat(RequestSyntax.nameAddrDefect(value)).isNull();
    }
}
