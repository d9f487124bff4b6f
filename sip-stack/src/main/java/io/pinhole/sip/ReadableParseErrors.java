package io.pinhole.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import gov.nist.javax.sip.stack.UdpPacketSource;
import io.pinhole.sip.hep.WireBytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import java.text.ParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RI's parser ({@link LeanMsgParser}: the RI's, cheaper per header, same verdicts), with a
 * well-formed 400 for requests it cannot parse. Left alone, the RI
 * answers those itself ({@code MessageChannel.createBadReqRes}) with a message that is not SIP:
 * the exception text, line breaks and char-array dumps included, goes into the status line, and
 * an empty line falls between Content-Type and Content-Length, so callers such as SIPp cannot
 * read it. Here, for a request over UDP, the 400 is written from the request's own Via, From,
 * To, Call-ID and CSeq lines with the cause as a one-line reason phrase, sent back to the
 * packet's source (its source port when the stack forces rport, as it does for the requests it
 * can parse; else the Via's port), and the stack is handed nothing (it drops a null parse
 * quietly). When one of those five lines is itself unreadable no client could match an answer,
 * so none is sent. Over TCP the stack skips the message (or closes the connection), which is
 * all a broken stream allows; the skip gets a log line here.
 *
 * <p>Two things happen to every request that does parse. Its top Via's transport is set to the
 * transport it arrived on when the two differ (a request over UDP whose Via says TCP, as in
 * RFC 4475's torture messages): the RI routes every answer by the Via's transport, and finds no
 * listening point (UDP: a NullPointerException) or no connection (TCP) for the other one, so
 * such a request got no answer at all. This is the RI's own rule too: it rewrites the top
 * Via's transport to the channel's whenever it encodes a message. And what the RI's parser
 * forgives but RFC 3261's grammar does not ({@link RequestSyntax}) is attached to the request
 * as a {@link RequestDefect}, for the listener to answer 400 over the request's own transport.
 *
 * <p>Every such message gets one log line naming the cause, at most a few per second so a
 * flood of garbage cannot flood the log (the number left out is reported with the next line).
 *
 * <p>Installed through the stack property {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}
 * (see {@link SipStackSettings}); the stack creates it by class name.
 */
public final class ReadableParseErrors implements MessageParserFactory {

    private static final Pattern CHAR_ARRAY_DUMP = Pattern.compile("\\[C@[0-9a-f]+");
    private static final Pattern MARKERS = Pattern.compile(">>>|<<<");
    private static final Pattern NOT_PRINTABLE = Pattern.compile("[^\\x20-\\x7e]+");
    private static final Pattern SPACES = Pattern.compile(" {2,}");
    private static final int MAX_REASON = 120;
    private static final Pattern REQUEST_LINE = Pattern.compile("[A-Za-z0-9.!%*_+`'~-]{2,64} [^\\r\\n]*SIP/");
    private static final Pattern TOP_VIA = Pattern.compile(
            "(?im)^(?:via|v)[ \\t]*:[ \\t]*SIP[ \\t]*/[ \\t]*2\\.0[ \\t]*/[ \\t]*[a-z]+[ \\t]+"
                    + "(?:\\[[0-9a-f:.]+\\]|[a-z0-9.-]+)(?::([0-9]{1,5}))?[ \\t]*(?:[;,]|$)");
    private static final String BAD_REQUEST_TAG = "pinhole-400";
    private static final Logger LOG = LoggerFactory.getLogger(ReadableParseErrors.class);
    private static final int LINES_PER_SECOND = 5;

    private final java.util.concurrent.atomic.AtomicLong currentSecond = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger linesThisSecond = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger suppressed = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        StringMsgParser parser = new LeanMsgParser();
        return (bytes, readBody, strict, listener) -> parse(stack, parser, bytes, readBody, strict, listener);
    }

    /** Logs one line about a dropped or refused message, unless this second's quota is used up. */
    private void log(String format, Object... args) {
        long second = System.currentTimeMillis() / 1000;
        if (currentSecond.getAndSet(second) != second) {
            linesThisSecond.set(0);
        }
        if (linesThisSecond.incrementAndGet() > LINES_PER_SECOND) {
            suppressed.incrementAndGet();
            return;
        }
        int skipped = suppressed.getAndSet(0);
        LOG.warn(skipped > 0 ? format + " (" + skipped + " similar lines left out)" : format, args);
    }

    /**
     * The RI's parser, with its unchecked failures turned into the refusal every caller handles:
     * some of its header parsers throw on a malformed value instead of a ParseException (an
     * {@code RAck} without a number: NumberFormatException, found by CoverageGuidedFuzzTest), which
     * would reach the transport thread and leave the message unanswered.
     */
    static SIPMessage parseOrRefuse(StringMsgParser parser, byte[] bytes, boolean readBody, boolean strict,
                                    ParseExceptionListener listener) throws ParseException {
        try {
            SIPMessage message = parser.parseSIPMessage(bytes, readBody, strict, listener);
            String badRport = message == null ? null : nonNumericRport(message);
            if (badRport != null) {
                // parsed, but the RI throws NumberFormatException when it copies such a Via into
                // the answer (Via.clone -> getRPort), so the request could never be answered
                throw new ParseException("Via rport is not a port number: " + badRport, 0);
            }
            return message;
        } catch (RuntimeException e) {
            ParseException refused = new ParseException("malformed header (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", 0);
            refused.initCause(e);
            throw refused;
        }
    }

    /** The first Via's rport value that is neither empty (a request for it) nor a port number; null if none. */
    static String nonNumericRport(SIPMessage message) {
        gov.nist.javax.sip.header.ViaList vias = message.getViaHeaders();
        if (vias == null) {
            return null;
        }
        for (Object header : vias) {
            String rport = ((gov.nist.javax.sip.header.Via) header).getParameter("rport");
            if (rport != null && !rport.isEmpty() && !isPort(rport)) {
                return rport.length() > 32 ? rport.substring(0, 32) + "..." : rport;
            }
        }
        return null;
    }

    private static boolean isPort(String value) {
        if (value.length() > 5) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(value) <= 65535;
    }

    private SIPMessage parse(SIPTransactionStack stack, StringMsgParser parser, byte[] bytes, boolean readBody,
                             boolean strict, ParseExceptionListener listener) throws ParseException {
        try {
            String flood = ParameterFlood.excess(bytes);
            if (flood != null) {
                throw new ParseException(flood, 0);
            }
            SIPMessage message = parseOrRefuse(parser, bytes, readBody, strict, listener);
            if (message instanceof SIPRequest request) {
                if (listener instanceof UDPMessageChannel channel) {
                    String missing = missingMandatoryHeader(request);
                    if (missing != null) {
                        // the RI's UDP channel would throw a NullPointerException on it; no answer
                        // could be matched to the request anyway
                        log("request from {} without {} dropped", channel.getPeerAddress(), missing);
                        return null;
                    }
                }
                if (listener instanceof MessageChannel channel) {
                    arrivalTransport(request, channel.getTransport());
                }
                RequestDefect defect = RequestSyntax.defect(bytes);
                if (defect != null && request.getApplicationData() == null) {
                    request.setApplicationData(defect);
                }
            }
            if (message != null && readBody && listener instanceof UDPMessageChannel) {
                // the whole datagram: the capture keeps these bytes instead of formatting the message again
                WireBytes.received(message, bytes);
            }
            return message;
        } catch (ParseException e) {
            String reason = reason(e.getMessage());
            if (listener instanceof UDPMessageChannel channel) {
                String request = new String(bytes, StandardCharsets.UTF_8);
                if (isAnswerableRequest(request)) {
                    answer(parser, channel, request, reason, stack != null && stack.isPatchRport());
                } else if (!blank(bytes)) {
                    log("dropped a {}-byte datagram from {} that is not SIP: {}", bytes.length, channel.getPeerAddress(),
                            reason);
                }
                return null;
            }
            if (listener instanceof MessageChannel channel && !blank(bytes)) {
                log("unparsable message from {}:{} over {} dropped: {}", channel.getPeerAddress(), channel.getPeerPort(),
                        channel.getTransport(), reason);
            }
            ParseException readable = new ParseException(reason, e.getErrorOffset());
            readable.initCause(e);
            throw readable;
        }
    }

    /** Sets the top Via's transport to the one the request arrived on, when they differ. */
    static void arrivalTransport(SIPRequest request, String transport) {
        Via top = request.getTopmostVia();
        if (top == null || transport == null || transport.equalsIgnoreCase(top.getTransport())) {
            return;
        }
        try {
            top.setTransport(transport.toUpperCase(Locale.ROOT));
        } catch (ParseException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private void answer(StringMsgParser parser, UDPMessageChannel channel, String request, String reason,
                        boolean toSourcePort) {
        // Before a successful parse the channel knows only the datagram's source address; the
        // port is the datagram's own when the stack forces rport (as it does for requests it can
        // parse), else the top Via's sent-by port (RFC 3261 18.2.2 without rport).
        int viaPort = viaPort(request);
        int sourcePort = toSourcePort ? UdpPacketSource.portOf(channel) : -1;
        int port = viaPort > 0 && sourcePort > 0 ? sourcePort : viaPort;
        String peer = channel.getPeerAddress() + ":" + port;
        if (port <= 0) {
            log("unparsable request from {} dropped (no readable Via): {}", channel.getPeerAddress(), reason);
            return;
        }
        byte[] answer = badRequest(request, reason).getBytes(StandardCharsets.UTF_8);
        try {
            InetAddress address = InetAddress.getByName(channel.getPeerAddress());
            SIPMessage response = parseOrNull(parser, answer);
            if (response != null) {
                channel.sendMessage(response, address, port);
            } else {
                // a copied line the RI cannot read (CSeq 36893488147419103232): the client wrote
                // it, so it can match the 400 that repeats it
                UdpPacketSource.sendRaw(channel, answer, address, port);
            }
            log("unparsable request from {} answered 400: {}", peer, reason);
        } catch (IOException | RuntimeException unanswerable) {
            log("unparsable request from {} dropped: {}", peer, reason);
        }
    }

    private static SIPMessage parseOrNull(StringMsgParser parser, byte[] bytes) {
        try {
            return parser.parseSIPMessage(bytes, true, false, null);
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /** CRLF keepalives and padding are not worth a log line. */
    private static boolean blank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != '\r' && b != '\n' && b != ' ' && b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The sent-by port of the top Via over UDP (5060 when absent), or -1 when there is none. */
    static int viaPort(String request) {
        Matcher via = TOP_VIA.matcher(request);
        if (!via.find()) {
            return -1;
        }
        int port = via.group(1) == null ? 5060 : Integer.parseInt(via.group(1));
        return port >= 1 && port <= 65535 ? port : -1;
    }

    private static String missingMandatoryHeader(SIPRequest request) {
        if (request.getTopmostVia() == null) {
            return "Via";
        }
        if (request.getCSeq() == null) {
            return "CSeq";
        }
        if (request.getCallId() == null) {
            return "Call-ID";
        }
        if (request.getFrom() == null) {
            return "From";
        }
        return request.getTo() == null ? "To" : null;
    }

    /** Requests only, never ACK (RFC 3261 17.2.3: no answer to an ACK); never responses or noise. */
    static boolean isAnswerableRequest(String message) {
        return REQUEST_LINE.matcher(message).lookingAt() && !message.startsWith("ACK ");
    }

    /** The 400 for an unparsable request: its Via, From, To, Call-ID and CSeq lines copied. */
    static String badRequest(String request, String reason) {
        StringBuilder out = new StringBuilder("SIP/2.0 400 Bad Request (").append(reason).append(")\r\n");
        String[] lines = request.split("\r?\n");
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            switch (name) {
                case "via", "v", "from", "f", "call-id", "i", "cseq" -> out.append(line).append("\r\n");
                case "to", "t" -> out.append(line).append(line.contains(";tag=") ? "" : ";tag=" + BAD_REQUEST_TAG)
                        .append("\r\n");
                default -> {
                }
            }
        }
        return out.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** One printable line, no longer than {@value #MAX_REASON} characters. */
    static String reason(String message) {
        if (message == null || message.isBlank()) {
            return "unparsable message";
        }
        String text = CHAR_ARRAY_DUMP.matcher(message).replaceAll(" ");
        text = MARKERS.matcher(text).replaceAll(" ");
        text = NOT_PRINTABLE.matcher(text).replaceAll(" ");
        text = SPACES.matcher(text.replace('(', '[').replace(')', ']')).replaceAll(" ").strip();
        if (text.startsWith(":")) {
            text = text.substring(1).strip();
        }
        if (text.isEmpty()) {
            return "unparsable message";
        }
        return text.length() > MAX_REASON ? text.substring(0, MAX_REASON) : text;
    }
}
