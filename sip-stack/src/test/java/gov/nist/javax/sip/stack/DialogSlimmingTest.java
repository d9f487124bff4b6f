package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.SipProviderImpl;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.pinhole.sip.SipStackSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sip.DialogState;
import javax.sip.ListeningPoint;
import javax.sip.SipFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.DatagramSocket;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** What a confirmed dialog keeps once trimmed, and that its in-dialog requests come out the same. */
class DialogSlimmingTest {

    private static final String OK = "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKslim1;received=127.0.0.1;rport=5060\r\n"
            + "From: <sip:alice@example.com>;tag=a1\r\n"
            + "To: <sip:bob@example.com>;tag=b1\r\n"
            + "Call-ID: slim-test-1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:bob@127.0.0.1:5062>\r\n"
            + "Content-Length: 0\r\n\r\n";

    private SipStackImpl stack;
    private SipProviderImpl provider;

    @BeforeEach
    void start() throws Exception {
        stack = new SipStackImpl(SipStackSettings.defaults("dialog-slimming-test").toProperties());
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ListeningPoint point = stack.createListeningPoint("127.0.0.1", port, "udp");
        provider = (SipProviderImpl) stack.createSipProvider(point);
    }

    @AfterEach
    void stop() {
        stack.stop();
    }

    @Test
    void copiesOfTheDialogsOwnStringsBecomeTheDialogsStringsAndTheViaLosesItsParameters() throws Exception {
        SIPDialog dialog = confirmedDialog();
        // what the RI's setLastResponse leaves: parsed copies equal to the dialog's own strings
        dialog.lastResponseDialogId = new String(dialog.getDialogId());
        dialog.lastResponseFromTag = new String(dialog.getLocalTag());
        dialog.lastResponseToTag = new String(dialog.getRemoteTag());
        dialog.method = new String(Request.INVITE);
        Via via = dialog.getLastResponseTopMostVia();
        via.getSentProtocol().setTransport(new String("UDP"));
        assertThat(via.hasParameters()).isTrue();

        assertThat(DialogSlimming.afterAck(dialog)).isTrue();

        assertThat(dialog.lastResponseDialogId).isSameAs(dialog.dialogId);
        assertThat(dialog.lastResponseFromTag).isSameAs(dialog.myTag);
        assertThat(dialog.lastResponseToTag).isSameAs(dialog.hisTag);
        assertThat(dialog.method).isSameAs(Request.INVITE);
        Via trimmed = dialog.getLastResponseTopMostVia();
        assertThat(trimmed.hasParameters()).isFalse();
        assertThat(trimmed.getTransport()).isSameAs(ListeningPoint.UDP);
        assertThat(trimmed.getHost()).isEqualTo("127.0.0.1");
        assertThat(trimmed.getPort()).isEqualTo(5060);
    }

    /**
     * The RI may hold the dialog's Via on another thread while the caller's ACK trims it: a 2xx ACK
     * it builds ({@code createAck}) is that very object, parameters re-set and a new branch, until
     * it is encoded. Trimming must leave that object alone and put a new one in the dialog.
     */
    @Test
    void aViaAnotherThreadHoldsIsLeftAsItIs() throws Exception {
        SIPDialog dialog = confirmedDialog();
        Via held = dialog.getLastResponseTopMostVia();
        String before = held.encode();

        DialogSlimming.afterAck(dialog);

        assertThat(held.encode()).isEqualTo(before).contains("branch=z9hG4bKslim1", "rport=5060");
        assertThat(dialog.getLastResponseTopMostVia()).isNotSameAs(held);
        assertThat(dialog.getLastResponseTopMostVia().encode()).isEqualTo("Via: SIP/2.0/UDP 127.0.0.1:5060\r\n");
    }

    @Test
    void aSecondTrimLeavesATrimmedViaInPlace() throws Exception {
        SIPDialog dialog = confirmedDialog();
        DialogSlimming.afterAck(dialog);
        Via trimmed = dialog.getLastResponseTopMostVia();

        DialogSlimming.afterAck(dialog);

        assertThat(dialog.getLastResponseTopMostVia()).isSameAs(trimmed);
    }

    @Test
    void aByeFromTheTrimmedDialogIsTheSameAsBefore() throws Exception {
        SIPDialog untouched = confirmedDialog();
        String before = withoutBranch(untouched.createRequest(Request.BYE));
        stack.removeDialog(untouched);

        SIPDialog trimmed = confirmedDialog();
        DialogSlimming.afterAck(trimmed);
        String after = withoutBranch(trimmed.createRequest(Request.BYE));

        assertThat(after).isEqualTo(before);
        assertThat(after).contains("BYE ", "Call-ID: slim-test-1", "tag=a1", "tag=b1", "CSeq: 2 BYE", "SIP/2.0/UDP");
    }

    @Test
    void anEarlyOrForeignDialogIsLeftAlone() {
        assertThat(DialogSlimming.afterAck(null)).isFalse();
        assertThat(DialogSlimming.same("a", "b")).isEqualTo("a");
        String kept = "z9hG4bK1";
        assertThat(DialogSlimming.same(new String(kept), kept)).isSameAs(kept);
        assertThat(DialogSlimming.constant(new String("TCP"))).isSameAs(ListeningPoint.TCP);
        assertThat(DialogSlimming.constant("udp")).isEqualTo("udp");
        assertThat(DialogSlimming.constant(null)).isNull();
    }

    @Test
    void anAckOlderThanTheWindowIsDroppedAndAYoungOneKept() throws Exception {
        SIPDialog dialog = confirmedDialog();
        SIPDialog.ACKWrapper ack = sentAck(dialog);

        assertThat(DialogSlimming.dropAck(dialog, () -> true)).isFalse();
        assertThat(LAST_ACK.get(dialog)).isSameAs(ack);

        assertThat(DialogSlimming.dropAck(dialog, () -> false)).isTrue();
        assertThat(dialog.isLastAckPresent()).isFalse();
        assertThat(DialogSlimming.dropAck(dialog, () -> false)).isFalse();
    }

    /** A re-INVITE's ACK sent while the sweep looks at the old one: the new one stays. */
    @Test
    void anAckSentMeanwhileIsKept() throws Exception {
        SIPDialog dialog = confirmedDialog();
        sentAck(dialog);
        SIPDialog.ACKWrapper[] newer = new SIPDialog.ACKWrapper[1];

        boolean dropped = DialogSlimming.dropAck(dialog, () -> {
            newer[0] = sentAck(dialog); // between the sweep's read and its compare-and-set
            return false;
        });

        assertThat(dropped).isFalse();
        assertThat(LAST_ACK.get(dialog)).isSameAs(newer[0]);
    }

    private static final VarHandle LAST_ACK = lastAck();

    private static VarHandle lastAck() {
        try {
            return MethodHandles.privateLookupIn(SIPDialog.class, MethodHandles.lookup())
                    .findVarHandle(SIPDialog.class, "lastAckSent", SIPDialog.ACKWrapper.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the RI's sendAck keeps of an ACK it sent: its encoded text, CSeq and tags. */
    private static SIPDialog.ACKWrapper sentAck(SIPDialog dialog) {
        try {
            SIPRequest request = (SIPRequest) SipFactory.getInstance().createMessageFactory().createRequest(
                    "ACK sip:bob@127.0.0.1:5062 SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKack1\r\n"
                    + "From: <sip:alice@example.com>;tag=a1\r\n"
                    + "To: <sip:bob@example.com>;tag=b1\r\n"
                    + "Call-ID: slim-test-1\r\n"
                    + "CSeq: 1 ACK\r\n"
                    + "Content-Length: 0\r\n\r\n");
            SIPDialog.ACKWrapper ack = dialog.new ACKWrapper(request);
            LAST_ACK.setVolatile(dialog, ack);
            return ack;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private SIPDialog confirmedDialog() throws Exception {
        SIPResponse response = (SIPResponse) SipFactory.getInstance().createMessageFactory().createResponse(OK);
        SIPDialog dialog = new SIPDialog(provider, response);
        dialog.setState(DialogState._CONFIRMED);
        dialog.setLastResponse(null, response);
        // set by the RI from the response of a transaction (none here)
        dialog.dialogId = response.getDialogId(false);
        assertThat(dialog.getState()).isEqualTo(DialogState.CONFIRMED);
        return dialog;
    }

    /** The request as text, its Via branch (new for every request) left out. */
    private static String withoutBranch(Request request) {
        ((ViaHeader) request.getHeader(ViaHeader.NAME)).removeParameter("branch");
        return ((SIPRequest) request).encode();
    }
}
