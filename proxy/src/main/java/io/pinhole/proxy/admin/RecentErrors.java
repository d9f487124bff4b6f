package io.pinhole.proxy.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last warnings and errors of the proxy's log, for the console's overview: a Logback
 * appender on the root logger while the proxy runs, keeping {@code capacity} one-line entries.
 * (Proxies sharing a JVM, as in tests, share the root logger and so each other's lines.)
 */
final class RecentErrors extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private static final int MAX_MESSAGE = 300;

    private final int capacity;
    private final ArrayDeque<Overview.LogLine> lines = new ArrayDeque<>();
    private ch.qos.logback.classic.Logger root;

    private RecentErrors(int capacity) {
        this.capacity = capacity;
    }

    /** Attached to the root logger when the logging is Logback's; otherwise it stays empty. */
    static RecentErrors attach(int capacity) {
        RecentErrors errors = new RecentErrors(capacity);
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            errors.setContext(context);
            errors.setName("pinhole-recent-errors");
            errors.start();
            errors.root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            errors.root.addAppender(errors);
        }
        return errors;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!event.getLevel().isGreaterOrEqual(Level.WARN)) {
            return;
        }
        String message = event.getFormattedMessage();
        if (message != null && message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        Overview.LogLine line = new Overview.LogLine(Instant.ofEpochMilli(event.getTimeStamp()),
                event.getLevel().toString(), event.getLoggerName(), message);
        synchronized (lines) {
            lines.addFirst(line);
            while (lines.size() > capacity) {
                lines.removeLast();
            }
        }
    }

    /** Newest first. */
    List<Overview.LogLine> recent() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    @Override
    public void close() {
        if (root != null) {
            root.detachAppender(this);
        }
        stop();
    }
}
