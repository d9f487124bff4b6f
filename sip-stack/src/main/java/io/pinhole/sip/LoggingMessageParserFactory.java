package io.pinhole.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The RI's own parser, plus one warning line for every message that does not parse: the RI
 * drops those and says so only at debug level. Lines are limited to a few per second so a
 * flood of garbage cannot flood the log; the number left out is reported with the next line.
 */
public final class LoggingMessageParserFactory implements MessageParserFactory {

    private static final Logger LOG = LoggerFactory.getLogger("io.pinhole.sip.stack");
    private static final int LINES_PER_SECOND = 5;

    private final MessageParserFactory delegate = new StringMsgParserFactory();
    private final AtomicLong currentSecond = new AtomicLong();
    private final AtomicInteger linesThisSecond = new AtomicInteger();
    private final AtomicInteger suppressed = new AtomicInteger();

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        MessageParser parser = delegate.createMessageParser(stack);
        return new MessageParser() {
            @Override
            public SIPMessage parseSIPMessage(byte[] bytes, boolean readBody, boolean strict,
                                              ParseExceptionListener listener) throws ParseException {
                try {
                    return parser.parseSIPMessage(bytes, readBody, strict, listener);
                } catch (ParseException e) {
                    report(bytes, e);
                    throw e;
                }
            }
        };
    }

    private void report(byte[] bytes, ParseException e) {
        if (blank(bytes)) {
            return; // CRLF keepalives
        }
        long second = System.currentTimeMillis() / 1000;
        if (currentSecond.getAndSet(second) != second) {
            linesThisSecond.set(0);
        }
        if (linesThisSecond.incrementAndGet() > LINES_PER_SECOND) {
            suppressed.incrementAndGet();
            return;
        }
        int skipped = suppressed.getAndSet(0);
        LOG.warn("dropped a {}-byte message that does not parse ({}), starting: {}{}", bytes.length,
                printable(String.valueOf(e.getMessage()).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)),
                printable(bytes), skipped > 0 ? " (" + skipped + " similar lines left out)" : "");
    }

    private static boolean blank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != '\r' && b != '\n' && b != ' ' && b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The first bytes with anything unprintable as '.', so garbage cannot corrupt the log. */
    private static String printable(byte[] bytes) {
        StringBuilder clean = new StringBuilder(64);
        for (int i = 0; i < bytes.length && i < 60; i++) {
            int c = bytes[i] & 0xff;
            clean.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return clean.toString();
    }
}
