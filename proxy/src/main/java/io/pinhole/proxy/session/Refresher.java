package io.pinhole.proxy.session;

import java.util.Locale;

/**
 * Who refreshes a session (RFC 4028 §4): the UAC or the UAS of the request that set the interval.
 * Through the B2BUA the roles keep their meaning on both legs: we forward each request as the UAC
 * of the other leg, so "uac" is the side that sent it and "uas" the side that answers.
 */
public enum Refresher {
    UAC, UAS;

    /** The {@code refresher} parameter's value, or null when absent or unknown. */
    public static Refresher of(String parameter) {
        if (parameter == null) {
            return null;
        }
        return switch (parameter.trim().toLowerCase(Locale.ROOT)) {
            case "uac" -> UAC;
            case "uas" -> UAS;
            default -> null;
        };
    }

    public String wire() {
        return this == UAC ? "uac" : "uas";
    }
}
