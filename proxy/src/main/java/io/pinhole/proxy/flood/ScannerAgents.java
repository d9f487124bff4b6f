package io.pinhole.proxy.flood;

import gov.nist.javax.sip.header.SIPHeader;

import javax.sip.header.Header;
import javax.sip.header.UserAgentHeader;
import javax.sip.message.Request;
import java.util.Iterator;
import java.util.List;

/**
 * Known SIP scanners by their User-Agent (what Kamailio's default configuration and fail2ban
 * users match: {@code friendly-scanner}, {@code sipcli}, {@code VaxSIPUserAgent}, ...). Patterns
 * are plain text found anywhere in the header, ignoring case, as Kamailio's {@code $ua =~} does
 * for these names; plain text rather than regular expressions keeps the check free of
 * allocation on every request: the header's parsed product tokens are searched in place.
 */
final class ScannerAgents {

    private final List<String> patterns;

    ScannerAgents(List<String> patterns) {
        this.patterns = patterns.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
    }

    List<String> patterns() {
        return patterns;
    }

    /** The first pattern the request's User-Agent contains, or null (also when it has none). */
    String match(Request request) {
        if (patterns.isEmpty()) {
            return null;
        }
        Header header = request.getHeader(UserAgentHeader.NAME);
        if (header instanceof UserAgentHeader userAgent) {
            // the RI keeps the header as the tokens it parsed (products and comments): searched one by one
            Iterator<?> tokens = userAgent.getProduct();
            while (tokens != null && tokens.hasNext()) {
                String found = match(String.valueOf(tokens.next()));
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        return header instanceof SIPHeader other ? match(other.getHeaderValue()) : null;
    }

    /** The first pattern {@code text} contains, ignoring case, or null. */
    String match(String text) {
        if (text == null) {
            return null;
        }
        for (String pattern : patterns) {
            if (containsIgnoringCase(text, pattern)) {
                return pattern;
            }
        }
        return null;
    }

    private static boolean containsIgnoringCase(String text, String pattern) {
        int last = text.length() - pattern.length();
        for (int i = 0; i <= last; i++) {
            if (text.regionMatches(true, i, pattern, 0, pattern.length())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
