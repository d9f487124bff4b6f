package io.pinhole.redirect.routing;

import javax.sip.address.SipURI;
import javax.sip.address.TelURL;
import javax.sip.address.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The parts of a Request-URI that routing looks at.
 *
 * @param user    the user part as received (null when the URI has none)
 * @param domain  the host in lower case, or a tel: URI's phone-context domain, or null
 * @param dialled the user part as a number ({@code +}? digits, RFC 3966 visual separators
 *                removed), or null when it is not a number
 */
record RequestTarget(String user, String domain, String dialled) {

    private static final Pattern VISUAL_SEPARATORS = Pattern.compile("[-.()]");
    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9]{1,32}");

    /** Null for a URI scheme routing does not understand. */
    static RequestTarget of(URI uri) {
        if (uri instanceof SipURI sip) {
            String user = sip.getUser();
            if (user != null && user.isEmpty()) {
                user = null;
            }
            String host = sip.getHost();
            return new RequestTarget(user, host == null ? null : host.toLowerCase(Locale.ROOT), numberIn(user));
        }
        if (uri instanceof TelURL tel) {
            String number = (tel.isGlobal() ? "+" : "") + tel.getPhoneNumber();
            String context = tel.getPhoneContext();
            // a local number's phone-context is either a domain or a global number prefix (RFC 3966 5.1.5)
            String domain = context == null || context.startsWith("+") ? null : context.toLowerCase(Locale.ROOT);
            return new RequestTarget(number, domain, numberIn(number));
        }
        return null;
    }

    private static String numberIn(String user) {
        if (user == null) {
            return null;
        }
        int params = user.indexOf(';');
        String base = params < 0 ? user : user.substring(0, params);
        String digits = VISUAL_SEPARATORS.matcher(base).replaceAll("");
        return NUMBER.matcher(digits).matches() ? digits : null;
    }
}
