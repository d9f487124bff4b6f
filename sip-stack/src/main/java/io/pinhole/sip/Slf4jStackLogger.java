package io.pinhole.sip;

import gov.nist.core.StackLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;

/**
 * Routes the JAIN-SIP RI's own log to SLF4J, warnings and errors only: that is where the
 * stack names the cause when it drops a message it cannot parse. Debug and trace report
 * "disabled" so the stack skips building those strings on the hot path.
 */
public final class Slf4jStackLogger implements StackLogger {

    private static final Logger LOG = LoggerFactory.getLogger("io.pinhole.sip.stack");

    @Override
    public void logStackTrace() {
    }

    @Override
    public void logStackTrace(int traceLevel) {
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        if (PeerGone.is(ex)) {
            LOG.info("SIP stack: peer closed its connection: {}", ex.toString());
            return;
        }
        LOG.warn("SIP stack: {}", ex.toString());
    }

    @Override
    public void logDebug(String message) {
    }

    @Override
    public void logDebug(String message, Exception ex) {
    }

    @Override
    public void logTrace(String message) {
    }

    @Override
    public void logFatalError(String message) {
        LOG.error("SIP stack: {}", message);
    }

    @Override
    public void logError(String message) {
        LOG.warn("SIP stack: {}", oneLine(message));
    }

    @Override
    public void logError(String message, Exception ex) {
        if (isScannerWokenAfterStop(ex)) {
            LOG.debug("SIP stack: {}: {}", oneLine(message), ex.toString());
            return;
        }
        if (PeerGone.is(ex)) {
            LOG.info("SIP stack: peer closed its connection: {}: {}", oneLine(message), ex.toString());
            return;
        }
        if (isKeepaliveBeforeAnyMessage(message, ex)) {
            LOG.info("SIP stack: a CRLF keepalive on a TCP connection that has carried no SIP message yet"
                    + " went unanswered: {}", ex.toString());
            return;
        }
        LOG.warn("SIP stack: {}: {}", oneLine(message), ex == null ? "" : ex.toString());
    }

    /**
     * The RI answers a double-CRLF ping (RFC 5626 4.4.1) on the connection's transport, which it
     * learns from the first SIP message: on an accepted connection whose first bytes are the ping it
     * fails with a NullPointerException. Only a flow (a REGISTER before the pings) makes the ping
     * mean anything, so the unanswered ping is the client's oddity, not a fault of ours.
     */
    static boolean isKeepaliveBeforeAnyMessage(String message, Exception ex) {
        return ex instanceof NullPointerException && message != null && message.contains("single CLRF");
    }

    /**
     * The RI's event scanner reports being interrupted ("Interrupted!") as an error, but the only
     * one that interrupts it is {@link StackThreads}, to end it once its stack has stopped.
     */
    private static boolean isScannerWokenAfterStop(Exception ex) {
        return ex instanceof InterruptedException
                && StackThreads.RI_EVENT_SCANNER.equals(Thread.currentThread().getName());
    }

    @Override
    public void logWarning(String message) {
        if (isTlsDefaultsNotice(message) || isReparseNotice(message)) {
            LOG.debug("SIP stack: {}", oneLine(message));
            return;
        }
        LOG.warn("SIP stack: {}", oneLine(message));
    }

    /**
     * With aggressive cleanup the RI keeps a finished transaction's request as bytes and warns each
     * time something reads it back (a retransmitted INVITE matched after our 2xx, mostly): a cost
     * note per message, not a fault, and 2,851 lines in one minute of the 1,300 calls/s overload
     * bench, written while the proxy had least time for them.
     */
    static boolean isReparseNotice(String message) {
        return message != null && message.startsWith("reparsing original request");
    }

    /**
     * At every start the RI warns that TLS uses JVM defaults, with or without TLS configured;
     * a real TLS problem fails when the TLS listening point is created, so these are noise.
     */
    private static boolean isTlsDefaultsNotice(String message) {
        String lower = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("tls") || lower.contains("keystore") || lower.contains("truststore");
    }

    @Override
    public void logInfo(String message) {
    }

    @Override
    public boolean isLoggingEnabled() {
        return LOG.isWarnEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        if (logLevel == TRACE_MESSAGES && CAPTURING.get() > 0) {
            return true; // the RI asks this before each message it hands its server logger
        }
        return logLevel <= TRACE_WARN && LOG.isWarnEnabled();
    }

    /**
     * Stacks of this JVM with SIP capture on ({@link io.pinhole.sip.hep.HepServerLogger}). The RI
     * asks its one static stack logger whether to trace messages, so this is a JVM-wide count; a
     * stack without capture gets its messages handed to its quiet server logger, which ignores them.
     */
    private static final java.util.concurrent.atomic.AtomicInteger CAPTURING = new java.util.concurrent.atomic.AtomicInteger();

    /** Whether some stack of this JVM captures its messages (the RI then reports every message). */
    public static boolean tracingMessages() {
        return CAPTURING.get() > 0;
    }

    /** Called by a capturing server logger when its stack starts (true) and stops (false). */
    public static void traceMessages(boolean on) {
        if (on) {
            CAPTURING.incrementAndGet();
        } else {
            CAPTURING.updateAndGet(n -> Math.max(0, n - 1));
        }
    }

    @Override
    public void disableLogging() {
    }

    @Override
    public void enableLogging() {
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }

    /** A dropped datagram may carry garbage or a whole message: keep the log to one short line. */
    private static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String flat = message.replaceAll("[\\r\\n]+", " | ");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }
}
