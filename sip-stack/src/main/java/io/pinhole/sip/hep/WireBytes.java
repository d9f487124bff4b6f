package io.pinhole.sip.hep;

import gov.nist.javax.sip.message.SIPMessage;
import io.pinhole.sip.Slf4jStackLogger;

/**
 * The bytes a message was actually received in or sent as, for the capture, so that it need not
 * format the message a second time: the stack encodes every message it sends and the capture
 * encoded it again; a received datagram was parsed and the capture formatted the parsed message
 * back to text (4-7 % of the proxy's CPU in a call, all of it copies of bytes already at hand).
 *
 * <p>The RI hands its server logger the message only, so the bytes travel beside it on the
 * thread that reports it: the RI parses a UDP datagram and reports the message on one worker
 * thread, and encodes, sends and reports a message it sends on one thread. The parser
 * ({@link #received}) and the UDP channel ({@link #sending}, {@link #wrote}, {@link #sent}) leave
 * them here; {@link #of} gives them back only for that same message object and direction, so
 * bytes can never be taken for another message's: anything else (TCP and TLS, whose parser sees
 * the head without the body, a message sent by another path) gets null and the capture formats
 * the message as before.
 *
 * <p>Per thread one slot, reused: nothing is allocated per message, and nothing is kept unless
 * a capture is on ({@link Slf4jStackLogger#tracingMessages()}). The arrays are the stack's own,
 * never written again once parsed or sent; a capture may keep them.
 */
public final class WireBytes {

    private static final ThreadLocal<Slot> SLOT = ThreadLocal.withInitial(Slot::new);

    private static final class Slot {
        SIPMessage message;
        byte[] bytes;
        boolean sent;
    }

    private WireBytes() {
    }

    /** The parser read {@code message} from {@code datagram}, the whole of it (UDP). */
    public static void received(SIPMessage message, byte[] datagram) {
        if (message == null || !Slf4jStackLogger.tracingMessages()) {
            return;
        }
        Slot slot = SLOT.get();
        slot.message = message;
        slot.bytes = datagram;
        slot.sent = false;
    }

    /** A channel starts sending {@code message}: the next bytes it writes on this thread are it. */
    public static void sending(SIPMessage message) {
        if (message == null || !Slf4jStackLogger.tracingMessages()) {
            return;
        }
        Slot slot = SLOT.get();
        slot.message = message;
        slot.bytes = null;
        slot.sent = true;
    }

    /** The channel writes {@code bytes} to the network: the message being sent, the first time. */
    public static void wrote(byte[] bytes) {
        if (!Slf4jStackLogger.tracingMessages()) {
            return;
        }
        Slot slot = SLOT.get();
        if (slot.sent && slot.message != null && slot.bytes == null) {
            slot.bytes = bytes;
        }
    }

    /** The channel is done with {@code message} (sent or failed; the RI has reported it by now). */
    public static void sent(SIPMessage message) {
        forget(message);
    }

    /**
     * The bytes {@code message} was received in ({@code sent} false) or sent as ({@code sent}
     * true) on this thread, or null when this thread does not have them.
     */
    public static byte[] of(SIPMessage message, boolean sent) {
        if (message == null || !Slf4jStackLogger.tracingMessages()) {
            return null;
        }
        Slot slot = SLOT.get();
        return slot.message == message && slot.sent == sent ? slot.bytes : null;
    }

    /** Lets go of {@code message} and its bytes once it was reported (no reference outlives it). */
    public static void forget(SIPMessage message) {
        if (message == null || !Slf4jStackLogger.tracingMessages()) {
            return;
        }
        Slot slot = SLOT.get();
        if (slot.message == message) {
            slot.message = null;
            slot.bytes = null;
        }
    }
}
