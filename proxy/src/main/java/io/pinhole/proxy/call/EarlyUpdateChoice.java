package io.pinhole.proxy.call;

import javax.sip.header.AllowHeader;
import javax.sip.message.Message;
import java.util.ListIterator;

/**
 * How a ringing callee learns that its call moved to another relay (pure; {@link EarlyMediaMove}
 * acts on it): now, by an UPDATE with the new relay's offer in its early dialog, or once it answers,
 * by the re-INVITE every re-offered call gets then. An UPDATE goes only to a callee that said it
 * takes one (UPDATE in the Allow of one of its 18x) and whose early answer came reliably (100rel,
 * which we PRACK): RFC 3311 §5.1 lets an UPDATE carry an offer before the INVITE's final response
 * only once the callee's answer came in a reliable provisional. Anything else risks a 405, or an
 * UPDATE a strict phone rejects, or one a careless phone takes half-way.
 */
final class EarlyUpdateChoice {

    /** @param update whether to send the UPDATE now; {@code why}, in words for the log */
    record Choice(boolean update, String why) {
    }

    private EarlyUpdateChoice() {
    }

    /**
     * @param allowsUpdate   the callee listed UPDATE in an Allow of this fork's 18x
     * @param reliableAnswer its early answer came in a reliable provisional (Require: 100rel)
     */
    static Choice of(boolean allowsUpdate, boolean reliableAnswer) {
        if (!allowsUpdate) {
            return new Choice(false, "its 18x did not list UPDATE in Allow");
        }
        if (!reliableAnswer) {
            return new Choice(false, "its early answer came in an unreliable 18x (RFC 3311 wants it sent with 100rel)");
        }
        return new Choice(true, "it allows UPDATE and its early answer came reliably");
    }

    /** Whether {@code message} lists UPDATE in an Allow header (any of them, any case). */
    static boolean allowsUpdate(Message message) {
        ListIterator<?> allows = message.getHeaders(AllowHeader.NAME);
        while (allows.hasNext()) {
            if ("UPDATE".equalsIgnoreCase(((AllowHeader) allows.next()).getMethod())) {
                return true;
            }
        }
        return false;
    }
}
