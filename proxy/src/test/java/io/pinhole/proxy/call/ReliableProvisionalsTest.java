package io.pinhole.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.sip.message.Message;

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
        return ProvisionalText.parse("180 Ringing", headers);
    }
}
