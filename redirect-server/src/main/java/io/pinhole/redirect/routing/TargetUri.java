package io.pinhole.redirect.routing;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route's {@code target_uri}, split once when the table is loaded so a look-up only glues
 * strings: {@code sip:proxy-b.example:5060;transport=tcp} gets the callee's user part put in
 * front of the host.
 *
 * @param scheme    {@code sip} or {@code sips}
 * @param user      the target's own user part (the target then names one party), or null
 * @param hostPort  host and optional port
 * @param params    URI parameters including the leading {@code ;}, or ""
 */
public record TargetUri(String scheme, String user, String hostPort, String params) {

    // host: a name, an IPv4 address or a bracketed IPv6 reference; then an optional port
    private static final Pattern URI = Pattern.compile(
            "(?i)(sips?):(?:([^@;?<>\\s\"]+)@)?((?:\\[[0-9a-f:.]+\\]|[a-z0-9.-]+)(?::[0-9]{1,5})?)((?:;[^;?<>\\s\"]+)*)");

    public static Optional<TargetUri> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = URI.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new TargetUri(m.group(1).toLowerCase(Locale.ROOT), m.group(2), m.group(3), m.group(4)));
    }

    /** This target with the transport parameter set, unless the URI already names one. */
    public TargetUri withTransport(String transport) {
        if (transport == null || params.toLowerCase(Locale.ROOT).contains(";transport=")) {
            return this;
        }
        return new TargetUri(scheme, user, hostPort, params + ";transport=" + transport.toLowerCase(Locale.ROOT));
    }

    /** The URI with the given user part, unless the target has its own. */
    public String withUser(String callee) {
        String u = user != null ? user : callee;
        return scheme + ":" + (u == null || u.isEmpty() ? "" : u + "@") + hostPort + params;
    }
}
