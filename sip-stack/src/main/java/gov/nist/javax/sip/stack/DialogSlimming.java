package gov.nist.javax.sip.stack;

import gov.nist.core.Host;
import gov.nist.core.HostPort;
import gov.nist.javax.sip.header.Protocol;
import gov.nist.javax.sip.header.Via;

import javax.sip.ListeningPoint;
import javax.sip.message.Request;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

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
 *   <li>the addresses the RI keeps as text after {@code cleanUpOnAck} (From, To, remote target, our
 *       Contact) and the Via's host: the same text from call to call, so the interned string;</li>
 *   <li>the parameters of the last response's top Via (branch, received, rport with their list and
 *       map, about 600 bytes), by a new Via with the same sent-by and no parameters: the dialog reads only that Via's transport for a new request, a
 *       2xx ACK it builds strips them and sets a new branch, and each response to a later request
 *       replaces this Via. Only a CANCEL created from the dialog itself reads the branch, before
 *       any response to the request it cancels: Pinhole cancels through the client transaction
 *       ({@code createCancel}), which keeps its own request.</li>
 * </ul>
 *
 * <p>Every change keeps the value of what it touches or drops only state no request of a confirmed
 * dialog reads: a later response puts its own copies back (so a re-INVITE's answer re-grows a
 * dialog a little until the next call of this). This class lives in the RI's package because the
 * fields are protected (or private) there.
 *
 * <p><b>Threads.</b> This runs on the thread handling the caller's ACK while the RI may work on the
 * same dialog on another one, without a lock of its own to share (its {@code setLastResponse},
 * {@code createAck} and {@code resendAck} take none): the callee may retransmit its 2xx at that very
 * moment (the RI then writes a new clone of its top Via into {@code lastResponseTopMostVia} and
 * resends the ACK, writing a new {@code lastAckSent}), or a re-INVITE's 2xx may be ACKed, and
 * {@code createAck} takes the dialog's Via object itself as the ACK's Via, strips and re-sets its
 * parameters and encodes it. So nothing here mutates an object the RI may hold: the Via is replaced
 * by a new trimmed one (a thread already holding the old one goes on with it, untouched), and every
 * field is swapped by compare-and-set from the value just read, so a value the RI wrote meanwhile (a
 * newer Via, the method of a later response) is never overwritten with a stale one; the ACK
 * wrapper's strings are set to equal ones only, which any reader sees as the same value.
 */
public final class DialogSlimming {

    /** The constants a parsed protocol's or method's copy is swapped for. */
    private static final List<String> CONSTANTS = List.of(Request.INVITE, Request.SUBSCRIBE, "SIP", "2.0",
            ListeningPoint.UDP, ListeningPoint.TCP, ListeningPoint.TLS, ListeningPoint.SCTP, "WS", "WSS");

    /**
     * {@code SIPDialog.lastAckSent} (private; its wrapper's fields are package-private), or null
     * when this RI has no such field: the ACK's strings are then left as they are.
     */
    private static final VarHandle LAST_ACK_SENT = field("lastAckSent", SIPDialog.ACKWrapper.class);

    /** {@code SIPDialog.lastResponseTopMostVia} (private), or null: the Via is then left as it is. */
    private static final VarHandle LAST_VIA = field("lastResponseTopMostVia", Via.class);

    private static final VarHandle DIALOG_ID = field("lastResponseDialogId", String.class);
    private static final VarHandle FROM_TAG = field("lastResponseFromTag", String.class);
    private static final VarHandle TO_TAG = field("lastResponseToTag", String.class);
    private static final VarHandle METHOD = field("method", String.class);
    private static final VarHandle FIRST_METHOD = field("firstTransactionMethod", String.class);
    private static final VarHandle LAST_METHOD = field("lastResponseMethod", String.class);

    /**
     * The dialog's addresses as the RI keeps them once it let go of the parsed ones
     * ({@code cleanUpOnAck}): From and To (each leg's local party is the other's remote one), the
     * remote target (a phone's registered contact) and our own Contact -- the same text from call to
     * call, each a new string a dialog.
     */
    private static final List<VarHandle> ADDRESSES = Stream.of(field("localPartyStringified", String.class),
            field("remotePartyStringified", String.class), field("remoteTargetStringified", String.class),
            field("contactHeaderStringified", String.class)).filter(Objects::nonNull).toList();

    /** {@code Host.hostname} (protected in another package), or null: the trimmed Via's host is then a copy. */
    private static final VarHandle HOST_NAME = field(Host.class, "hostname", String.class);

    /** How often a Via the RI replaced meanwhile is trimmed again before it is left as it is. */
    private static final int VIA_ATTEMPTS = 3;

    private DialogSlimming() {
    }

    private static VarHandle field(String name, Class<?> type) {
        return field(SIPDialog.class, name, type);
    }

    private static VarHandle field(Class<?> owner, String name, Class<?> type) {
        try {
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
                    .findVarHandle(owner, name, type);
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
        swap(DIALOG_ID, sip, id -> same(id, sip.dialogId));
        swap(FROM_TAG, sip, tag -> same(same(tag, sip.myTag), sip.hisTag));
        swap(TO_TAG, sip, tag -> same(same(tag, sip.hisTag), sip.myTag));
        swap(METHOD, sip, DialogSlimming::constant);
        swap(FIRST_METHOD, sip, DialogSlimming::constant);
        swap(LAST_METHOD, sip, DialogSlimming::constant);
        // the JVM's string table holds them weakly: a text no call uses any more goes
        for (VarHandle address : ADDRESSES) {
            swap(address, sip, text -> text == null ? null : text.intern());
        }
        if (LAST_VIA != null) {
            for (int attempt = 0; attempt < VIA_ATTEMPTS; attempt++) {
                Via via = (Via) LAST_VIA.getVolatile(sip);
                if (via == null || !via.hasParameters() && isTrimmed(via)
                        || LAST_VIA.compareAndSet(sip, via, trimmed(via))) {
                    break;
                }
            }
        }
        if (LAST_ACK_SENT != null && LAST_ACK_SENT.get(sip) instanceof SIPDialog.ACKWrapper ack) {
            ack.dialogId = same(ack.dialogId, sip.dialogId);
            ack.fromTag = same(ack.fromTag, sip.myTag);
        }
        return true;
    }

    /**
     * Lets {@code dialog} forget the ACK it sent last (its encoded text, some 400 bytes, kept only to
     * send again on each retransmission of the 2xx it answered) unless {@code recent} says an ACK
     * may still be needed: the UAS retransmits a 2xx for 64*T1 = 32 s at most (RFC 3261 13.3.1.4),
     * after which no compliant peer sends it again. The ACK is read first and {@code recent} asked
     * after, and it is dropped only if it is still the one read: an ACK sent meanwhile (a
     * re-INVITE's) stays. Without it the RI passes a later 2xx of that dialog, if any, up to the
     * application instead of answering it from this copy.
     *
     * <p>Call it only once no INVITE client transaction of the dialog lingers (2 s after its 2xx
     * here): the RI reads the last ACK's CSeq without a null check on that path.
     *
     * @return whether the ACK was dropped
     */
    public static boolean dropAck(javax.sip.Dialog dialog, BooleanSupplier recent) {
        if (LAST_ACK_SENT == null || !(dialog instanceof SIPDialog sip)) {
            return false;
        }
        Object ack = LAST_ACK_SENT.getVolatile(sip);
        if (ack == null || recent.getAsBoolean()) {
            return false;
        }
        return LAST_ACK_SENT.compareAndSet(sip, ack, null);
    }

    /**
     * Sets the dialog's string field to {@code replacement(value)} unless the RI wrote another value
     * since it was read (the method of a later response, the From tag of a request the other way).
     */
    private static void swap(VarHandle field, SIPDialog dialog, UnaryOperator<String> replacement) {
        if (field == null) {
            return;
        }
        String value = (String) field.getVolatile(dialog);
        String replaced = replacement.apply(value);
        if (replaced != value) {
            field.compareAndSet(dialog, value, replaced);
        }
    }

    /**
     * A new Via with {@code via}'s protocol (its strings the constants) and sent-by, without
     * parameters: all an in-dialog request reads of it. {@code via} itself is left as it is.
     */
    static Via trimmed(Via via) {
        Via trimmed = new Via();
        Protocol protocol = via.getSentProtocol();
        if (protocol != null) {
            Protocol constants = new Protocol();
            constants.setProtocolName(constant(protocol.getProtocolName()));
            constants.setProtocolVersion(constant(protocol.getProtocolVersion()));
            constants.setTransport(constant(protocol.getTransport()));
            trimmed.setSentProtocol(constants);
        }
        if (via.getSentBy() != null) {
            HostPort sentBy = (HostPort) via.getSentBy().clone();
            Host host = sentBy.getHost();
            if (HOST_NAME != null && host != null && host.getHostname() != null) {
                // our own address or a phone's, the same for many calls; not yet shared with any thread
                HOST_NAME.set(host, host.getHostname().intern());
            }
            trimmed.setSentBy(sentBy);
        }
        trimmed.setComment(via.getComment());
        return trimmed;
    }

    private static boolean isTrimmed(Via via) {
        Protocol protocol = via.getSentProtocol();
        return protocol == null || protocol.getTransport() == constant(protocol.getTransport())
                && protocol.getProtocolName() == constant(protocol.getProtocolName());
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
