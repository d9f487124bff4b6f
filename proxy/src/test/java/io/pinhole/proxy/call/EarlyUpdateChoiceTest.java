package io.pinhole.proxy.call;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.sip.message.Message;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether a ringing callee moved to another relay gets an UPDATE now or a re-INVITE once it answers. */
class EarlyUpdateChoiceTest {

    @Test
    void updateOnlyWhenTheCalleeAllowsItAndItsEarlyAnswerCameReliably() {
        assertThat(EarlyUpdateChoice.of(true, true).update()).isTrue();
        EarlyUpdateChoice.Choice notAllowed = EarlyUpdateChoice.of(false, true);
        assertThat(notAllowed.update()).isFalse();
        assertThat(notAllowed.why()).contains("Allow");
        EarlyUpdateChoice.Choice unreliable = EarlyUpdateChoice.of(true, false);
        assertThat(unreliable.update()).isFalse();
        assertThat(unreliable.why()).contains("unreliable");
        assertThat(EarlyUpdateChoice.of(false, false).update()).isFalse();
    }

    /** Headers of a 183, one per {@code ;}. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "listed                      | Allow: INVITE, ACK, BYE, CANCEL, UPDATE      | true",
            "case does not matter        | Allow: invite, update                        | true",
            "in a second Allow header    | Allow: INVITE, ACK; Allow: UPDATE            | true",
            "not listed                  | Allow: INVITE, ACK, BYE, CANCEL, PRACK       | false",
            "a method named like it      | Allow: INVITE, UPDATES                       | false",
            "no Allow                    | Server: test                                 | false",
    })
    void readsAllow(String why, String headers, boolean expected) {
        assertThat(EarlyUpdateChoice.allowsUpdate(progress(headers.replace("; ", "\r\n") + "\r\n"))).isEqualTo(expected);
    }

    private static Message progress(String headers) {
        return ProvisionalText.parse("183 Session Progress", headers);
    }
}
