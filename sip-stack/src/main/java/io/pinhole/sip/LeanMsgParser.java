package io.pinhole.sip;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.Expires;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.AllowParser;
import gov.nist.javax.sip.parser.AuthorizationParser;
import gov.nist.javax.sip.parser.CSeqParser;
import gov.nist.javax.sip.parser.CallIDParser;
import gov.nist.javax.sip.parser.ContactParser;
import gov.nist.javax.sip.parser.ContentLengthParser;
import gov.nist.javax.sip.parser.ContentTypeParser;
import gov.nist.javax.sip.parser.ExpiresParser;
import gov.nist.javax.sip.parser.FromParser;
import gov.nist.javax.sip.parser.HeaderParser;
import gov.nist.javax.sip.parser.MaxForwardsParser;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.RecordRouteParser;
import gov.nist.javax.sip.parser.RequireParser;
import gov.nist.javax.sip.parser.RouteParser;
import gov.nist.javax.sip.parser.SupportedParser;
import gov.nist.javax.sip.parser.ToParser;
import gov.nist.javax.sip.parser.UserAgentParser;
import gov.nist.javax.sip.parser.ViaParser;
import gov.nist.javax.sip.parser.StringMsgParser;

import java.text.ParseException;

/**
 * The RI's message parser, cheaper per header. First, its per-header parser is skipped for the
 * simple header fields every request carries: Call-ID, CSeq, Max-Forwards, Content-Length and Expires. For each of them the
 * RI finds the header's parser class by name, creates it by reflection, builds a lexer over a
 * copy of the line and walks it token by token, to read one number or one word: about a fifth of
 * its parsing time on a REGISTER. Here a value in the plain form ({@code 70}, {@code 1 REGISTER},
 * a Call-ID without spaces) becomes the same header object the RI's parser makes (same setters,
 * same canonical method name); a value in any other form, a bad one included, goes to the RI's
 * parser as before, so what it accepts, refuses and reports is unchanged. Second, the other
 * common headers go straight to the parser class the RI's factory would choose ({@link
 * #parsedByItsParser}); the rest, and every header one of those parsers refuses, take the RI's
 * own path.
 */
final class LeanMsgParser extends StringMsgParser {

    /** Digits that cannot overflow an int: longer numbers are the RI's to judge. */
    private static final int MAX_DIGITS = 9;

    @Override
    protected void processHeader(String header, SIPMessage message, ParseExceptionListener listener, byte[] raw)
            throws ParseException {
        SIPHeader parsed = header == null || message == null ? null : simpleHeader(header);
        if (parsed == null && header != null && message != null) {
            parsed = parsedByItsParser(header);
        }
        if (parsed != null) {
            try {
                message.attachHeader(parsed, false);
                return;
            } catch (ParseException duplicate) {
                // not attached: the RI's own path reports it as it always has
            }
        }
        super.processHeader(header, message, listener, raw);
    }

    /**
     * A header every request or its answer carries, parsed by the parser the RI's ParserFactory
     * would pick for its name, without the factory: it cuts the name and the value out of the
     * line, lower-cases the name, looks it up in two maps and creates the parser by reflection,
     * about a third of the RI's parsing time per header. Null for any other header, or when the
     * parser refuses the value (the RI's own path then parses it again and reports it).
     */
    static SIPHeader parsedByItsParser(String header) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        int nameEnd = colon;
        while (nameEnd > 0 && isSpace(header.charAt(nameEnd - 1))) {
            nameEnd--;
        }
        String line = header + "\n"; // as the factory hands it to the parser
        try {
            HeaderParser parser = switch (nameEnd) {
                case 1 -> switch (Character.toLowerCase(header.charAt(0))) {
                    case 'v' -> new ViaParser(line);
                    case 'f' -> new FromParser(line);
                    case 't' -> new ToParser(line);
                    case 'm' -> new ContactParser(line);
                    case 'k' -> new SupportedParser(line);
                    case 'c' -> new ContentTypeParser(line);
                    case 'i' -> new CallIDParser(line);
                    case 'l' -> new ContentLengthParser(line);
                    default -> null;
                };
                case 2 -> named(header, nameEnd, "To") ? new ToParser(line) : null;
                case 3 -> named(header, nameEnd, "Via") ? new ViaParser(line) : null;
                case 4 -> named(header, nameEnd, "From") ? new FromParser(line)
                        : named(header, nameEnd, "CSeq") ? new CSeqParser(line) : null;
                case 5 -> named(header, nameEnd, "Route") ? new RouteParser(line)
                        : named(header, nameEnd, "Allow") ? new AllowParser(line) : null;
                case 7 -> named(header, nameEnd, "Contact") ? new ContactParser(line)
                        : named(header, nameEnd, "Call-ID") ? new CallIDParser(line)
                        : named(header, nameEnd, "Expires") ? new ExpiresParser(line)
                        : named(header, nameEnd, "Require") ? new RequireParser(line) : null;
                case 9 -> named(header, nameEnd, "Supported") ? new SupportedParser(line) : null;
                case 10 -> named(header, nameEnd, "User-Agent") ? new UserAgentParser(line) : null;
                case 12 -> named(header, nameEnd, "Max-Forwards") ? new MaxForwardsParser(line)
                        : named(header, nameEnd, "Record-Route") ? new RecordRouteParser(line)
                        : named(header, nameEnd, "Content-Type") ? new ContentTypeParser(line) : null;
                case 13 -> named(header, nameEnd, "Authorization") ? new AuthorizationParser(line) : null;
                case 14 -> named(header, nameEnd, "Content-Length") ? new ContentLengthParser(line) : null;
                default -> null;
            };
            return parser == null ? null : parser.parse();
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /** The header object for a header line in plain form, or null when the RI's parser must read it. */
    static SIPHeader simpleHeader(String header) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        int nameEnd = colon;
        while (nameEnd > 0 && isSpace(header.charAt(nameEnd - 1))) {
            nameEnd--;
        }
        int from = colon + 1;
        int to = header.length();
        while (from < to && isSpace(header.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(header.charAt(to - 1))) {
            to--;
        }
        if (from == to) {
            return null;
        }
        try {
            return switch (kind(header, nameEnd)) {
                case CALL_ID -> callId(header, from, to);
                case CSEQ -> cseq(header, from, to);
                case MAX_FORWARDS -> maxForwards(header, from, to);
                case CONTENT_LENGTH -> contentLength(header, from, to);
                case EXPIRES -> expires(header, from, to);
                case OTHER -> null;
            };
        } catch (ParseException | javax.sip.InvalidArgumentException | RuntimeException e) {
            return null; // the RI's parser says what is wrong with it
        }
    }

    private enum Kind { CALL_ID, CSEQ, MAX_FORWARDS, CONTENT_LENGTH, EXPIRES, OTHER }

    private static Kind kind(String header, int nameEnd) {
        if (nameEnd == 1) {
            char c = Character.toLowerCase(header.charAt(0));
            return c == 'i' ? Kind.CALL_ID : c == 'l' ? Kind.CONTENT_LENGTH : Kind.OTHER;
        }
        if (named(header, nameEnd, "Call-ID")) {
            return Kind.CALL_ID;
        }
        if (named(header, nameEnd, "CSeq")) {
            return Kind.CSEQ;
        }
        if (named(header, nameEnd, "Max-Forwards")) {
            return Kind.MAX_FORWARDS;
        }
        if (named(header, nameEnd, "Content-Length")) {
            return Kind.CONTENT_LENGTH;
        }
        return named(header, nameEnd, "Expires") ? Kind.EXPIRES : Kind.OTHER;
    }

    private static boolean named(String header, int nameEnd, String name) {
        return nameEnd == name.length() && header.regionMatches(true, 0, name, 0, nameEnd);
    }

    /** A Call-ID of visible ASCII characters (RFC 3261 word ["@" word] is a subset), as CallIDParser sets it. */
    private static SIPHeader callId(String header, int from, int to) throws ParseException {
        for (int i = from; i < to; i++) {
            char c = header.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return null;
            }
        }
        CallID callId = new CallID();
        callId.setCallId(header.substring(from, to));
        return callId;
    }

    /** 1*DIGIT LWS Method, as CSeqParser sets them. */
    private static SIPHeader cseq(String header, int from, int to)
            throws ParseException, javax.sip.InvalidArgumentException {
        int digitsEnd = digitsEnd(header, from, to);
        if (digitsEnd < 0 || digitsEnd == to || !isSpace(header.charAt(digitsEnd))) {
            return null;
        }
        int method = digitsEnd;
        while (isSpace(header.charAt(method))) {
            method++;
        }
        for (int i = method; i < to; i++) {
            if (!isTokenChar(header.charAt(i))) {
                return null;
            }
        }
        CSeq cseq = new CSeq();
        cseq.setSeqNumber(Long.parseLong(header, from, digitsEnd, 10));
        cseq.setMethod(SIPRequest.getCannonicalName(header.substring(method, to)).intern());
        return cseq;
    }

    private static SIPHeader maxForwards(String header, int from, int to) throws javax.sip.InvalidArgumentException {
        if (digitsEnd(header, from, to) != to) {
            return null;
        }
        MaxForwards maxForwards = new MaxForwards();
        maxForwards.setMaxForwards(Integer.parseInt(header, from, to, 10));
        return maxForwards;
    }

    private static SIPHeader contentLength(String header, int from, int to) throws javax.sip.InvalidArgumentException {
        if (digitsEnd(header, from, to) != to) {
            return null;
        }
        ContentLength contentLength = new ContentLength();
        contentLength.setContentLength(Integer.parseInt(header, from, to, 10));
        return contentLength;
    }

    private static SIPHeader expires(String header, int from, int to) throws javax.sip.InvalidArgumentException {
        if (digitsEnd(header, from, to) != to) {
            return null;
        }
        Expires expires = new Expires();
        expires.setExpires(Integer.parseInt(header, from, to, 10));
        return expires;
    }

    /** The end of 1 to {@value #MAX_DIGITS} ASCII digits from {@code from}, or -1. */
    private static int digitsEnd(String s, int from, int to) {
        int i = from;
        while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i == from || i - from > MAX_DIGITS ? -1 : i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-.!%*_+`'~".indexOf(c) >= 0;
    }
}
