package io.pinhole.wire.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One parser, two sets of rules: each row says what SIGNALLING (the proxy) and RELAY (the relay) make of a body. */
class SdpParserTest {

    private static final String HEAD = "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\n";

    @Test
    void readsSessionAndMediaFacts() throws Exception {
        String body = HEAD + "c=IN IP4 10.0.0.5\r\nt=0 0\r\na=sendonly\r\nm=audio 4000/2 RTP/AVP 0 8 101\r\n"
                + "a=rtcp:4005 IN IP4 10.0.0.5\r\na=rtcp-mux\r\nm=video 4002 RTP/AVP 96\r\nc=IN IP6 2001:db8::7/1\r\n";
        for (SdpRules rules : new SdpRules[] {SdpRules.SIGNALLING, SdpRules.RELAY}) {
            SdpDescription d = SdpParser.parse(body, rules);

            assertThat(d.connection()).isEqualTo(new Connection("10.0.0.5", InetAddress.getByName("10.0.0.5")));
            assertThat(d.attributes()).containsExactly("a=sendonly");
            MediaDescription audio = d.media().get(0);
            assertThat(audio).extracting(MediaDescription::index, MediaDescription::type, MediaDescription::port,
                    MediaDescription::protocol, MediaDescription::rtcpPort).containsExactly(0, "audio", 4000, "RTP/AVP", 4005);
            assertThat(audio.formats()).containsExactly("0", "8", "101");
            assertThat(audio.has("a=rtcp-mux")).isTrue();
            assertThat(audio.connection()).isSameAs(d.connection());
            MediaDescription video = d.media().get(1);
            assertThat(video.connection().text()).isEqualTo("2001:db8::7");
            assertThat(video.rtcpPort()).isEqualTo(-1);
        }
    }

    /** {@code ok} or the problem, per rules; {@code \n} in the body stands for CRLF. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what both refuse alike
            "no body                   | ''                                                  | EMPTY                 | EMPTY",
            "no version                | hello                                               | NO_VERSION            | NO_VERSION",
            "bad line                  | v=0\\no=-\\nbroken\\n                               | BAD_LINE              | BAD_LINE",
            "short m=                  | v=0\\no=-\\nc=IN IP4 1.2.3.4\\nm=audio\\n           | BAD_MEDIA_LINE        | BAD_MEDIA_LINE",
            "port too big              | v=0\\no=-\\nc=IN IP4 1.2.3.4\\nm=audio 70000 RTP/AVP 0\\n | PORT_OUT_OF_RANGE | PORT_OUT_OF_RANGE",
            "port not a number         | v=0\\no=-\\nc=IN IP4 1.2.3.4\\nm=audio x RTP/AVP 0\\n | PORT_NOT_A_NUMBER   | PORT_NOT_A_NUMBER",
            "short c=                  | v=0\\no=-\\nc=IN IP4\\n                             | BAD_CONNECTION_LINE   | BAD_CONNECTION_LINE",
            "address type              | v=0\\no=-\\nc=IN IPX 1.2.3.4\\n                     | UNKNOWN_ADDRESS_TYPE  | UNKNOWN_ADDRESS_TYPE",
            "bad number                | v=0\\no=-\\nc=IN IP4 300.1.1.1\\n                   | INVALID_ADDRESS       | INVALID_ADDRESS",
            "host name, never resolved | v=0\\no=-\\nc=IN IP4 phone.example.com\\n           | HOST_NAME             | HOST_NAME",
            "IPv4 under IP6            | v=0\\no=-\\nc=IN IP6 1.2.3.4\\n                     | ADDRESS_TYPE_MISMATCH | ADDRESS_TYPE_MISMATCH",
            "no address                | v=0\\no=-\\nm=audio 4000 RTP/AVP 0\\n               | NO_CONNECTION         | NO_CONNECTION",
            // where the rules differ
            "v=1                       | v=1\\no=-\\nc=IN IP4 1.2.3.4\\n                     | NO_VERSION            | ok",
            "no o=                     | v=0\\nc=IN IP4 1.2.3.4\\nm=audio 4000 RTP/AVP 0\\n  | NO_ORIGIN             | ok",
            "disabled without c=       | v=0\\no=-\\nm=audio 0 RTP/AVP 0\\n                  | ok                    | NO_CONNECTION",
            "spaces around a line      | v=0\\no=-\\n  c=IN IP4 1.2.3.4  \\n                 | ok                    | BAD_LINE",
            "two spaces between fields | v=0\\no=-\\nc=IN  IP4 1.2.3.4\\n                    | ok                    | BAD_CONNECTION_LINE",
            "lower-case ip4            | v=0\\no=-\\nc=IN ip4 1.2.3.4\\n                     | ok                    | UNKNOWN_ADDRESS_TYPE",
            "bracketed IPv4            | v=0\\no=-\\nc=IN IP4 [1.2.3.4]\\n                   | ok                    | ADDRESS_TYPE_MISMATCH",
            "bad a=rtcp port           | v=0\\no=-\\nc=IN IP4 1.2.3.4\\nm=audio 4000 RTP/AVP 0\\na=rtcp:x\\n | ok | PORT_NOT_A_NUMBER",
    })
    void appliesTheRules(String name, String body, String signalling, String relay) {
        String sdp = body.replace("\\n", "\r\n");
        assertThat(outcome(sdp, SdpRules.SIGNALLING)).as("SIGNALLING").isEqualTo(signalling);
        assertThat(outcome(sdp, SdpRules.RELAY)).as("RELAY").isEqualTo(relay);
    }

    @Test
    void limitsTheNumberOfStreamsUnderSignallingRules() throws Exception {
        String body = "v=0\r\no=-\r\nc=IN IP4 1.2.3.4\r\n" + "m=audio 4000 RTP/AVP 0\r\n".repeat(17);
        assertThat(outcome(body, SdpRules.SIGNALLING)).isEqualTo("TOO_MANY_MEDIA");
        assertThat(SdpParser.parse(body, SdpRules.RELAY).media()).hasSize(17);
    }

    @Test
    void namesTheLineAndTheStreamOfARefusal() {
        assertThatThrownBy(() -> SdpParser.parse("v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 1 RTP/AVP 0\r\nm=video 2\r\n",
                SdpRules.RELAY)).isInstanceOfSatisfying(SdpSyntaxException.class, e -> {
                    assertThat(e.problem()).isEqualTo(SdpProblem.BAD_MEDIA_LINE);
                    assertThat(e.line()).isEqualTo("m=video 2");
                    assertThat(e.mediaIndex()).isEqualTo(1);
                });
        assertThatThrownBy(() -> SdpParser.parse("v=0\r\no=-\r\nc=IN ipx 1.2.3.4\r\n", SdpRules.SIGNALLING))
                .isInstanceOfSatisfying(SdpSyntaxException.class, e -> assertThat(e.detail()).isEqualTo("ipx"));
    }

    @Test
    void rejectsRulesWithoutRoomForAStream() {
        assertThatThrownBy(() -> new SdpRules(true, true, 0, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void splitsLinesKeepingTheirTerminators() {
        SdpLines lines = SdpLines.split("v=0\r\ns=-\nt=0 0");
        assertThat(lines.text()).containsExactly("v=0", "s=-", "t=0 0");
        assertThat(lines.terminators()).containsExactly("\r\n", "\n", "");
        assertThat(lines.defaultTerminator()).isEqualTo("\r\n");
    }

    private static String outcome(String sdp, SdpRules rules) {
        try {
            SdpParser.parse(sdp, rules);
            return "ok";
        } catch (SdpSyntaxException e) {
            return e.problem().name();
        }
    }
}
