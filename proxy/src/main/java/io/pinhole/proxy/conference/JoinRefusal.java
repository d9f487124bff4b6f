package io.pinhole.proxy.conference;

import io.pinhole.wire.ng.NgException;

import java.util.Locale;
import java.util.concurrent.CompletionException;

/**
 * What a party is answered when the relay refuses its {@code join} (a pure mapping of the ng
 * contract's error reasons), with the Reason header text (RFC 3326) and the
 * {@code pinhole_conference_joins_total} result.
 *
 * @param cdrOutcome the {@code calls.outcome} of the refused party
 */
record JoinRefusal(int status, String phrase, String reasonText, String result, String cdrOutcome) {

    static final JoinRefusal NO_SDP = new JoinRefusal(488, "Not Acceptable Here",
            "a conference needs an SDP offer in the INVITE", "error", "rejected");
    static final JoinRefusal NO_RELAY = new JoinRefusal(503, "Service Unavailable", "no media relay available",
            "error", "failed");

    static JoinRefusal of(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof NgException ng && ng.timeout()) {
            return new JoinRefusal(503, "Service Unavailable", "media relay did not answer", "error", "failed");
        }
        String reason = cause.getMessage() == null ? "" : cause.getMessage();
        String lower = reason.toLowerCase(Locale.ROOT);
        if (lower.startsWith("room full")) {
            return new JoinRefusal(486, "Busy Here", "conference full", "full", "busy");
        }
        if (lower.startsWith("too many rooms")) {
            return new JoinRefusal(503, "Service Unavailable", "too many conference rooms on the media relay", "error",
                    "failed");
        }
        if (lower.startsWith("no ports")) {
            return new JoinRefusal(503, "Service Unavailable", "no media ports free on the media relay", "error",
                    "failed");
        }
        if (lower.startsWith("no common codec")) {
            return new JoinRefusal(488, "Not Acceptable Here", "no common codec: a conference takes PCMU or PCMA",
                    "error", "rejected");
        }
        if (lower.startsWith("invalid")) {
            // the party's SDP (or what we sent along with it) did not pass the relay's checks
            return new JoinRefusal(488, "Not Acceptable Here", "media relay refused the offer: " + clip(reason),
                    "error", "rejected");
        }
        return new JoinRefusal(503, "Service Unavailable", "media relay refused the party: " + clip(reason), "error",
                "failed");
    }

    /** A Reason text stays one short quoted string whatever the relay said. */
    private static String clip(String text) {
        String clean = text.replace('"', '\'').replaceAll("[\\r\\n]", " ");
        return clean.length() > 80 ? clean.substring(0, 80) : clean;
    }
}
