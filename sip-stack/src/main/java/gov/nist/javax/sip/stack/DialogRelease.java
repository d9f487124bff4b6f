package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.ReleaseReferencesStrategy;

import javax.sip.Dialog;

/**
 * Lets a confirmed dialog we created as a client (a B2BUA's leg towards the callee) let go of its
 * set-up state, as the RI already does for a server dialog when the ACK of its 2xx arrives
 * ({@code SIPDialog.cleanUpOnAck}, under the stack's {@code Normal} release strategy): the first
 * and last transactions (our INVITE and the callee's parsed 2xx with them), the original request,
 * and the parsed Contact, remote target and From/To addresses, which it keeps as strings and parses
 * again when a later in-dialog request needs them. The RI never does this for a client dialog, so
 * every established call kept both of them alive for its whole length (about 6 KB a call).
 *
 * <p>The dialog keeps everything an in-dialog request needs: its route set, sequence numbers,
 * tags, the first transaction's id, method, port and transport, and the last ACK it sent (which it
 * sends again when the callee retransmits its 2xx). This class lives in the RI's package because
 * the method is protected there.
 */
public final class DialogRelease {

    private DialogRelease() {
    }

    /**
     * Releases the set-up state of {@code dialog} once it is confirmed and its 2xx ACKed; does
     * nothing for another kind of dialog, one still early, or when the stack releases nothing.
     *
     * @return whether it released anything
     */
    public static boolean afterAck(Dialog dialog) {
        if (!(dialog instanceof SIPDialog sip) || sip.getReleaseReferencesStrategy() == ReleaseReferencesStrategy.None
                || sip.getState() != javax.sip.DialogState.CONFIRMED || sip.getLastAckSentCSeq() == null) {
            return false;
        }
        sip.cleanUpOnAck();
        return true;
    }
}
