package io.pinhole.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgumentsTest {

    private static Arguments parse(String... args) {
        return Arguments.parse(List.of(args), Set.of("--password", "--weight"), Set.of("--disabled"));
    }

    @Test
    void splitsWordsValuesAndFlags() {
        Arguments parsed = parse("alice@example.com", "--password", "s3cret", "--weight=2", "--disabled");

        assertThat(parsed.words()).containsExactly("alice@example.com");
        assertThat(parsed.value("--password")).isEqualTo("s3cret");
        assertThat(parsed.integer("--weight")).isEqualTo(2);
        assertThat(parsed.flag("--disabled")).isTrue();
    }

    @Test
    void anUnknownOptionIsNamedAsUnknown() {
        assertThatThrownBy(() -> parse("--colour", "red")).isInstanceOf(CliException.class)
                .hasMessage("unknown option --colour")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.USAGE));
    }

    @Test
    void aKnownOptionWithoutItsValueSaysSo() {
        assertThatThrownBy(() -> parse("alice@example.com", "--password")).hasMessage("--password needs a value");
    }

    @Test
    void aFlagTakesNoValueAndANumberMustBeOne() {
        assertThatThrownBy(() -> parse("--disabled=yes")).hasMessage("--disabled takes no value");
        assertThatThrownBy(() -> parse("--weight", "heavy").integer("--weight"))
                .hasMessage("--weight wants a whole number, got heavy");
    }

    @Test
    void missingAndSurplusWordsAreUsageErrors() {
        assertThatThrownBy(() -> parse().word(0, "USER@DOMAIN")).hasMessage("missing USER@DOMAIN");
        assertThatThrownBy(() -> parse("a", "b").atMostWords(1)).hasMessage("unexpected argument b");
    }
}
