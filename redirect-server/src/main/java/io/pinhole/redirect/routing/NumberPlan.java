package io.pinhole.redirect.routing;

import java.util.Optional;

/**
 * How a route reads a dialled number: which dialled prefixes stand for {@code +} and for the
 * home country. Routes with equal plans share one normalisation per look-up.
 *
 * @param intlPrefix     dialled prefix meaning "+" ({@code 00}), or null
 * @param nationalPrefix trunk prefix of a national number ({@code 0}), or null; needs countryCode
 * @param countryCode    country code of national numbers ({@code 49}), or null
 * @param plusOptional   digits without a recognised prefix are E.164 without the {@code +}
 */
public record NumberPlan(String intlPrefix, String nationalPrefix, String countryCode, boolean plusOptional) {

    /** Only numbers dialled with a leading {@code +} are E.164. */
    public static final NumberPlan PLUS_ONLY = new NumberPlan(null, null, null, false);

    public NumberPlan {
        intlPrefix = blankToNull(intlPrefix);
        nationalPrefix = blankToNull(nationalPrefix);
        countryCode = blankToNull(countryCode);
        requireDigits(intlPrefix, "intlPrefix");
        requireDigits(nationalPrefix, "nationalPrefix");
        requireDigits(countryCode, "countryCode");
        if (nationalPrefix != null && countryCode == null) {
            throw new IllegalArgumentException("nationalPrefix needs countryCode");
        }
    }

    /**
     * The E.164 form ({@code +} and digits) of a dialled number ({@code +}? digits, separators
     * already removed), or empty when this plan cannot tell which country it is in.
     */
    public Optional<String> toE164(String dialled) {
        if (dialled.startsWith("+")) {
            return Optional.of(dialled);
        }
        if (intlPrefix != null && dialled.startsWith(intlPrefix)) {
            // the international prefix alone is an incomplete number, not a national one
            return dialled.length() > intlPrefix.length()
                    ? Optional.of("+" + dialled.substring(intlPrefix.length()))
                    : Optional.empty();
        }
        if (nationalPrefix != null && dialled.length() > nationalPrefix.length()
                && dialled.startsWith(nationalPrefix)) {
            return Optional.of("+" + countryCode + dialled.substring(nationalPrefix.length()));
        }
        if (plusOptional) {
            return Optional.of("+" + dialled);
        }
        return Optional.empty();
    }

    /** Writes an E.164 number ({@code +} and digits) in the given format. */
    public String format(String e164, NumberFormat format) {
        return switch (format) {
            case AS_RECEIVED, E164 -> e164;
            case E164_DIGITS -> e164.substring(1);
            case NATIONAL -> countryCode != null && e164.startsWith("+" + countryCode)
                    ? (nationalPrefix == null ? "" : nationalPrefix) + e164.substring(1 + countryCode.length())
                    : e164;
        };
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static void requireDigits(String value, String name) {
        if (value != null && !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(name + " must be digits, was " + value);
        }
    }
}
