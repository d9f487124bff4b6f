package io.pinhole.proxy.session;

import gov.nist.javax.sip.header.extensions.MinSE;
import gov.nist.javax.sip.header.extensions.MinSEHeader;
import gov.nist.javax.sip.header.extensions.SessionExpiresHeader;
import io.pinhole.proxy.sip.SipFactories;

import javax.sip.header.Header;
import javax.sip.header.OptionTag;
import javax.sip.message.Message;
import java.text.ParseException;
import java.util.ListIterator;

/** Reads and writes the RFC 4028 headers (Session-Expires, Min-SE, the {@code timer} option tag). */
public final class SessionTimerHeaders {

    public static final String SESSION_EXPIRES = SessionExpiresHeader.NAME;
    public static final String MIN_SE = MinSEHeader.NAME;
    private static final String TIMER = "timer";

    private final SipFactories factories;

    public SessionTimerHeaders(SipFactories factories) {
        this.factories = factories;
    }

    /** What {@code message} asks for (the JAIN-SIP RI parses both headers, compact {@code x} too). */
    public static TimerRequest read(Message message) {
        Integer minSe = message.getHeader(MIN_SE) instanceof MinSE h && h.getExpires() > 0 ? h.getExpires() : null;
        return new TimerRequest(supportsTimer(message), sessionExpires(message), minSe);
    }

    /** The message's Session-Expires, or null when it has none (or a zero one). */
    public static SessionExpires sessionExpires(Message message) {
        return message.getHeader(SESSION_EXPIRES) instanceof SessionExpiresHeader h && h.getExpires() > 0
                ? new SessionExpires(h.getExpires(), Refresher.of(h.getRefresher())) : null;
    }

    /** Whether the message's Supported lists {@code timer}. */
    public static boolean supportsTimer(Message message) {
        return hasOptionTag(message, "Supported", TIMER);
    }

    /** Whether the message's Require lists {@code timer}. */
    public static boolean requiresTimer(Message message) {
        return hasOptionTag(message, "Require", TIMER);
    }

    static boolean hasOptionTag(Message message, String headerName, String tag) {
        ListIterator<?> headers = message.getHeaders(headerName);
        while (headers.hasNext()) {
            if (headers.next() instanceof OptionTag option && tag.equalsIgnoreCase(option.getOptionTag())) {
                return true;
            }
        }
        return false;
    }

    public void setSessionExpires(Message message, SessionExpires value) {
        message.setHeader(header(SESSION_EXPIRES, value.wire()));
    }

    public void setMinSe(Message message, int seconds) {
        message.setHeader(header(MIN_SE, Integer.toString(seconds)));
    }

    /** Adds {@code Supported: timer} unless the message already lists it. */
    public void addSupportedTimer(Message message) {
        if (!supportsTimer(message)) {
            message.addHeader(header("Supported", TIMER));
        }
    }

    /** Adds {@code Require: timer} unless the message already lists it. */
    public void addRequireTimer(Message message) {
        if (!requiresTimer(message)) {
            message.addHeader(header("Require", TIMER));
        }
    }

    private Header header(String name, String value) {
        try {
            return factories.headers().createHeader(name, value);
        } catch (ParseException e) {
            throw new IllegalStateException("cannot build " + name + ": " + value, e);
        }
    }
}
