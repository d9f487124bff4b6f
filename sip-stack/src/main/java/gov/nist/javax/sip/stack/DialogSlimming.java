package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.header.Protocol;
import gov.nist.javax.sip.header.Via;

import javax.sip.ListeningPoint;
import javax.sip.message.Request;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Trims what a confirmed dialog keeps for an established call's whole length beyond what its
 * in-dialog requests need, once the ACK of its 2xx went by (a B2BUA holds two such dialogs a call):
 *
 * <ul>
 *   <li>the copies the RI takes of equal strings: the last response's dialog id and tags are new
 *       strings equal to the dialog's own id and tags, and the methods are parsed copies of
 *       "INVITE" -- each now points at the one string the dialog already holds (a constant for the
 *       methods and the Via's "SIP", "2.0" and transport); the last ACK the dialog sent keeps its
 *       dialog id and From tag as copies too;</li>
 *   <li>the parameters of the last response's top Via (branch, received, rport with their list and
 *       map, about 600 bytes): the dialog reads only that Via's transport for a new request, a
 *       2xx ACK it builds strips them and sets a new branch, and each response to a later request
 *       replaces this Via. Only a CANCEL created from the dialog itself reads the branch, before
 *       any response to the request it cancels: Pinhole cancels through the client transaction
 *       ({@code createCancel}), which keeps its own request.</li>
 * </ul>
 *
 * <p>Every change keeps the value of what it touches or drops only state no request of a confirmed
 * dialog reads: a later response puts its own copies back (so a re-INVITE's answer re-grows a
 * dialog a little until the next call of this). This class lives in the RI's package because the
 * fields are protected there.
 */
public final class DialogSlimming {

    /** The constants a parsed protocol's or method's copy is swapped for. */
    private static final List<String> CONSTANTS = List.of(Request.INVITE, Request.SUBSCRIBE, "SIP", "2.0",
            ListeningPoint.UDP, ListeningPoint.TCP, ListeningPoint.TLS, ListeningPoint.SCTP, "WS", "WSS");

    /**
     * {@code SIPDialog.lastAckSent} (private; its wrapper's fields are package-private), or null
     * when this RI has no such field: the ACK's strings are then left as they are.
     */
    private static final VarHandle LAST_ACK_SENT = lastAckSent();

    private DialogSlimming() {
    }

    private static VarHandle lastAckSent() {
        try {
            return MethodHandles.privateLookupIn(SIPDialog.class, MethodHandles.lookup())
                    .findVarHandle(SIPDialog.class, "lastAckSent", SIPDialog.ACKWrapper.class);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * Trims {@code dialog} if it is a confirmed RI dialog; does nothing otherwise.
     *
     * @return whether it was trimmed
     */
    public static boolean afterAck(javax.sip.Dialog dialog) {
        if (!(dialog instanceof SIPDialog sip) || sip.getState() != javax.sip.DialogState.CONFIRMED) {
            return false;
        }
        sip.lastResponseDialogId = same(sip.lastResponseDialogId, sip.dialogId);
        sip.lastResponseFromTag = same(same(sip.lastResponseFromTag, sip.myTag), sip.hisTag);
        sip.lastResponseToTag = same(same(sip.lastResponseToTag, sip.hisTag), sip.myTag);
        sip.method = constant(sip.method);
        sip.firstTransactionMethod = constant(sip.firstTransactionMethod);
        sip.lastResponseMethod = constant(sip.lastResponseMethod);
        Via via = sip.getLastResponseTopMostVia();
        if (via != null) {
            if (via.hasParameters()) {
                via.removeParameters();
            }
            Protocol protocol = via.getSentProtocol();
            if (protocol != null) {
                protocol.setProtocolName(constant(protocol.getProtocolName()));
                protocol.setProtocolVersion(constant(protocol.getProtocolVersion()));
                protocol.setTransport(constant(protocol.getTransport()));
            }
        }
        if (LAST_ACK_SENT != null && LAST_ACK_SENT.get(sip) instanceof SIPDialog.ACKWrapper ack) {
            ack.dialogId = same(ack.dialogId, sip.dialogId);
            ack.fromTag = same(ack.fromTag, sip.myTag);
        }
        return true;
    }

    /** {@code kept} when it equals {@code copy}: one string instead of two equal ones. */
    static String same(String copy, String kept) {
        return copy != null && copy != kept && copy.equals(kept) ? kept : copy;
    }

    /** The constant equal to {@code value}, or {@code value} (the RI compares these with equals). */
    static String constant(String value) {
        if (value == null) {
            return null;
        }
        for (String constant : CONSTANTS) {
            if (constant.equals(value)) {
                return constant;
            }
        }
        return value;
    }
}
