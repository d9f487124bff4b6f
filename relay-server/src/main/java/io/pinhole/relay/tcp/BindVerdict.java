package io.pinhole.relay.tcp;

import java.util.Locale;

/**
 * What a failed bind of a media port means: a default port is skipped with one warning that names
 * the port, why, and the setting to change; a port that was set stops the relay with a message
 * that says the same.
 *
 * @param fatal   the relay must not start
 * @param message the warning or the error, whole
 */
public record BindVerdict(boolean fatal, String message) {

    /** Why a bind failed, from the exception Netty or the JDK gives (both carry the errno text). */
    enum Cause {
        PERMISSION("permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE"),
        IN_USE("the port is in use by another socket"),
        OTHER("");

        private final String words;

        Cause(String words) {
            this.words = words;
        }

        static Cause of(Throwable t) {
            String m = t == null || t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("permission denied") || m.contains("eacces")) {
                return PERMISSION;
            }
            if (m.contains("address already in use") || m.contains("eaddrinuse")) {
                return IN_USE;
            }
            return OTHER;
        }

        String describe(Throwable t) {
            return this == OTHER ? String.valueOf(t == null ? "unknown" : t.getMessage()) : words;
        }
    }

    /** @param failure why the bind failed, as Netty or the JDK said it */
    public static BindVerdict of(MediaPort port, String address, Throwable failure) {
        Cause cause = Cause.of(failure);
        String why = cause.describe(failure);
        String where = address + ":" + port.port();
        if (port.explicit()) {
            return new BindVerdict(true, port.property() + " " + port.port() + ": cannot listen on " + where + " ("
                    + why + "); set " + port.property() + " to a port this relay may bind, or 0 to turn it off");
        }
        return new BindVerdict(false, "relay: " + port.property() + " not served: cannot listen on its default "
                + where + " (" + why + "); the relay runs without it. Set " + port.property()
                + " to a port it may bind" + (cause == Cause.PERMISSION ? " (or grant CAP_NET_BIND_SERVICE)" : "")
                + ", or 0 to turn it off");
    }
}
