package io.pinhole.redirect.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NumberPlanTest {

    private static final NumberPlan GERMANY = new NumberPlan("00", "0", "49", false);

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "+4930123, +4930123",
            "004930123, +4930123",
            "030123, +4930123",
            "0, -",
            "00, -",
            "30123, -"})
    void readsDialledNumbersAsE164(String dialled, String e164) {
        assertThat(GERMANY.toE164(dialled).orElse(null)).isEqualTo(e164);
    }

    @Test
    void plusOptionalTakesBareDigitsAsE164() {
        assertThat(new NumberPlan(null, null, null, true).toE164("4930123")).contains("+4930123");
        assertThat(NumberPlan.PLUS_ONLY.toE164("4930123")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "+4930123, E164, +4930123",
            "+4930123, E164_DIGITS, 4930123",
            "+4930123, NATIONAL, 030123",
            "+3312345, NATIONAL, +3312345"})
    void writesNumbersInTheRoutesFormat(String e164, NumberFormat format, String written) {
        assertThat(GERMANY.format(e164, format)).isEqualTo(written);
    }

    @Test
    void rejectsNationalPrefixWithoutCountryCode() {
        assertThatThrownBy(() -> new NumberPlan(null, "0", null, false))
                .hasMessageContaining("nationalPrefix needs countryCode");
    }
}
