package io.pinhole.proxy.session;

/**
 * A Session-Expires value: the session interval in seconds and who refreshes, null when the
 * header had no {@code refresher} parameter (the answerer then chooses).
 */
public record SessionExpires(int seconds, Refresher refresher) {

    public SessionExpires {
        if (seconds < 1) {
            throw new IllegalArgumentException("a session interval is at least one second, was " + seconds);
        }
    }

    /** The header value, e.g. {@code 1800;refresher=uac}. */
    public String wire() {
        return refresher == null ? Integer.toString(seconds) : seconds + ";refresher=" + refresher.wire();
    }
}
