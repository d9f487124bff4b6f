package io.pinhole.redirect.routing;

import java.util.Locale;

/** How a number is written as the user part of the Contact a route sends the caller to. */
public enum NumberFormat {
    /** the user part exactly as the caller sent it */
    AS_RECEIVED("as-received"),
    /** {@code +4930123456} */
    E164("e164"),
    /** {@code 4930123456}, as many carriers want it */
    E164_DIGITS("e164-digits"),
    /** {@code 030123456}: national prefix and national number (foreign numbers stay E.164) */
    NATIONAL("national");

    private final String columnValue;

    NumberFormat(String columnValue) {
        this.columnValue = columnValue;
    }

    public String columnValue() {
        return columnValue;
    }

    public static NumberFormat fromColumn(String value) {
        for (NumberFormat format : values()) {
            if (format.columnValue.equals(value.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown number_format: " + value);
    }
}
