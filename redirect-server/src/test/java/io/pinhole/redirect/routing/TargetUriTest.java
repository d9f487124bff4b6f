package io.pinhole.redirect.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TargetUriTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sip:proxy-b.example                 | bob | sip:bob@proxy-b.example",
            "SIP:proxy-b.example:5080;lr         | bob | sip:bob@proxy-b.example:5080;lr",
            "sips:[2001:db8::1]:5061             | bob | sips:bob@[2001:db8::1]:5061",
            "sip:carrier@192.0.2.7               | bob | sip:carrier@192.0.2.7",
            "sip:192.0.2.7                       |     | sip:192.0.2.7"})
    void putsTheCalleeInFrontOfTheHost(String target, String callee, String contact) {
        assertThat(TargetUri.parse(target).orElseThrow().withUser(callee)).isEqualTo(contact);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tel:+4930", "sip:", "sip:host?subject=x", "sip:bad host", "sip:<x>", "http://x"})
    void refusesWhatIsNotAPlainSipUri(String target) {
        assertThat(TargetUri.parse(target)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sip:gw.example           | sip:gw.example;transport=tcp",
            "sip:gw.example;transport=udp | sip:gw.example;transport=udp"})
    void addsTransportUnlessPresent(String target, String contact) {
        assertThat(TargetUri.parse(target).orElseThrow().withTransport("TCP").withUser(null)).isEqualTo(contact);
    }
}
