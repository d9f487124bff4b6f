package io.pinhole.sip.hep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gov.nist.core.ServerLogger;
import gov.nist.core.StackLogger;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.pinhole.sip.Slf4jStackLogger;
import io.pinhole.wire.hep.HepTarget;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

class HepServerLoggerTest {

    @Test
    void collectorRoundTripsThroughStackProperties() {
        HepTarget target = HepTarget.parse("tcp:[2001:db8::5]:9060", 3, "pw");
        assertThat(HepServerLogger.target(HepServerLogger.stackProperties(target))).isEqualTo(target);
        assertThat(HepServerLogger.stackProperties(target).getProperty("gov.nist.javax.sip.SERVER_LOGGER"))
                .isEqualTo(HepServerLogger.class.getName());
    }

    @Test
    void withoutCollectorThereIsNoCapture() {
        assertThat(HepServerLogger.target(new java.util.Properties())).isNull();
    }

    @Test
    void withNeitherCollectorNorTapTheStackKeepsItsQuietLogger() {
        assertThat(HepServerLogger.stackProperties(null, false)).isEmpty();
    }

    /** A real stack, its logger made by the RI from the properties, the tap attached before it listens. */
    @Test
    void handsEveryMessageToTheTapWithItsDirectionAndPeer() throws Exception {
        List<String> seen = new ArrayList<>();
        MessageTap tap = (message, sent, peer, time) ->
                seen.add((sent ? "out " : "in ") + peer + " " + message.getCallId().getCallId() + " " + time);
        SipStackImpl stack = stack(HepServerLogger.stackProperties(null, true));
        try {
            HepServerLogger.attach(stack, tap);
            ServerLogger logger = stack.getServerLogger();
            SIPMessage invite = parse("INVITE sip:bob@example.com SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\nFrom: <sip:alice@example.com>;tag=1\r\n"
                    + "To: <sip:bob@example.com>\r\nCall-ID: call-1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                    + "Content-Length: 0\r\n\r\n");

            logger.logMessage(invite, "192.0.2.1:5060", "0.0.0.0:5070", false, 1000L);
            logger.logMessage(invite, "0.0.0.0:5070", "192.0.2.2:5080", true, 1001L);
            logger.logMessage(invite, "192.0.2.2:5080", "0.0.0.0:5070", false, 1002L);
            // the RI's second report of a received response, as it reaches its transaction
            logger.logMessage(invite, "192.0.2.2:5080", "0.0.0.0:5070", "before processing", false, 1003L);

            assertThat(seen).containsExactly("in 192.0.2.1:5060 call-1 1000", "out 192.0.2.2:5080 call-1 1001",
                    "in 192.0.2.2:5080 call-1 1002");
            assertThat(new Slf4jStackLogger().isLoggingEnabled(StackLogger.TRACE_MESSAGES))
                    .as("the RI hands messages over only while tracing").isTrue();
            logger.closeLogFile();
            logger.logMessage(invite, "192.0.2.1:5060", "0.0.0.0:5070", false, 1003L);
            assertThat(seen).as("nothing after the stack stopped").hasSize(3);
        } finally {
            stack.stop();
        }
    }

    @Test
    void aTapNeedsTheLoggerInTheStackProperties() throws Exception {
        SipStackImpl stack = stack(new Properties());
        try {
            assertThatThrownBy(() -> HepServerLogger.attach(stack, (message, sent, peer, time) -> {
            })).isInstanceOf(IllegalStateException.class).hasMessageContaining("stackProperties(target, true)");
        } finally {
            stack.stop();
        }
    }

    @Test
    void aFailingTapNeverReachesTheStack() throws Exception {
        SipStackImpl stack = stack(HepServerLogger.stackProperties(null, true));
        try {
            HepServerLogger.attach(stack, (message, sent, peer, time) -> {
                throw new IllegalStateException("broken tap");
            });
            SIPMessage options = parse("OPTIONS sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK2\r\n"
                    + "From: <sip:a@example.com>;tag=1\r\nTo: <sip:example.com>\r\nCall-ID: c2\r\n"
                    + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");

            stack.getServerLogger().logMessage(options, "192.0.2.1:5060", "0.0.0.0:5070", false, 1L);
        } finally {
            stack.getServerLogger().closeLogFile();
            stack.stop();
        }
    }

    private static SipStackImpl stack(Properties extra) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("javax.sip.STACK_NAME", "tap-test-" + System.nanoTime());
        properties.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        properties.putAll(extra);
        return new SipStackImpl(properties);
    }

    private static SIPMessage parse(String text) throws Exception {
        return new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
    }
}
