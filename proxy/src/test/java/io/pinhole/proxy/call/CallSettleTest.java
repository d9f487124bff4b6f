package io.pinhole.proxy.call;

import io.pinhole.proxy.media.LegPlan;
import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.MediaPlan;
import io.pinhole.proxy.media.PathPlan;
import org.junit.jupiter.api.Test;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.SipFactory;
import javax.sip.message.Request;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caller's ACK of our 2xx lets an established call go of its set-up state (the heap an active
 * call keeps), while everything a later re-INVITE, relay move or hang-up reads stays.
 */
class CallSettleTest {

    private static final String CALLER_SDP = "v=0\r\no=caller 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 8\r\n";
    private static final String OFFER_TO_CALLEE = "v=0\r\no=relay 1 1 IN IP4 198.51.100.1\r\ns=-\r\n"
            + "c=IN IP4 198.51.100.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8\r\n";

    private final CallRegistry registry = new CallRegistry();
    private final Dialog callerDialog = dialog();
    private final Dialog calleeDialog = dialog();

    @Test
    void theCallersAckReleasesTheInviteAndTheWinningTransactionButKeepsWhatTheCallNeeds() throws Exception {
        Call call = answeredCall();

        registry.acked(callerDialog);

        assertThat(call.settled()).isTrue();
        assertThat(call.inviteRequest).isNull();
        assertThat(call.invite).isNull();
        assertThat(call.winner.transaction()).isNull();
        assertThat(call.offerSdp).isNull();
        // what relay moves and re-offers read from the INVITEs, kept as strings
        assertThat(call.inviteFromTag()).isEqualTo("caller-tag");
        assertThat(call.sdpFrom(Side.CALLER)).isEqualTo(CALLER_SDP);
        assertThat(call.sdpTo(Side.CALLEE)).isEqualTo(OFFER_TO_CALLEE);
        // the dialogs still lead to the call
        assertThat(registry.sideOf(callerDialog)).isPresent();
        assertThat(registry.sideOf(calleeDialog)).isPresent();
    }

    @Test
    void anAckOnTheCalleesDialogOrBeforeTheAnswerReleasesNothing() throws Exception {
        Call call = answeredCall();
        synchronized (call) {
            call.state = Call.State.EARLY;
        }

        registry.acked(callerDialog);
        synchronized (call) {
            call.state = Call.State.ANSWERED;
        }
        registry.acked(calleeDialog);

        assertThat(call.settled()).isFalse();
        assertThat(call.inviteRequest).isNotNull();
        assertThat(call.winner.transaction()).isNotNull();
    }

    @Test
    void aCallEndedAfterSettlingUnlinksItsDialogsWithoutItsTransaction() throws Exception {
        Call call = answeredCall();
        registry.acked(callerDialog);

        registry.remove(call);

        assertThat(registry.sideOf(callerDialog)).isEmpty();
        assertThat(registry.sideOf(calleeDialog)).isEmpty();
    }

    private Call answeredCall() throws Exception {
        Request invite = request("INVITE sip:callee@example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-caller\r\n"
                + "From: <sip:caller@example.test>;tag=caller-tag\r\nTo: <sip:callee@example.test>\r\n"
                + "Call-ID: settle@example.test\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: " + CALLER_SDP.length() + "\r\n\r\n" + CALLER_SDP);
        Request toCallee = request("INVITE sip:callee@203.0.113.5 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK-proxy\r\n"
                + "From: <sip:caller@example.test>;tag=proxy-tag\r\nTo: <sip:callee@example.test>\r\n"
                + "Call-ID: settle-leg@example.test\r\nCSeq: 1 INVITE\r\nMax-Forwards: 69\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: " + OFFER_TO_CALLEE.length() + "\r\n\r\n"
                + OFFER_TO_CALLEE);
        Call call = new Call("settle@example.test|z9hG4bK-caller", "settle@example.test", "caller@example.test",
                "callee@example.test", Instant.EPOCH, null, invite, "our-tag", null, null, callerDialog, plan());
        registry.add(call);
        Branch branch = new Branch(call, transaction(toCallee), calleeDialog, null, null);
        registry.addBranch(call, branch);
        synchronized (call) {
            call.branches.add(branch);
            call.offerSdp = OFFER_TO_CALLEE;
            branch.done = true;
            call.winner = branch;
            call.state = Call.State.ANSWERED;
        }
        return call;
    }

    private static Request request(String text) throws Exception {
        return SipFactory.getInstance().createMessageFactory().createRequest(text);
    }

    /** A dialog that keeps its application data and has a Call-ID (the registry tells the capture of legs). */
    private static Dialog dialog() {
        Object[] data = new Object[1];
        return (Dialog) Proxy.newProxyInstance(CallSettleTest.class.getClassLoader(), new Class<?>[]{Dialog.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "setApplicationData" -> {
                        data[0] = args[0];
                        yield null;
                    }
                    case "getApplicationData" -> data[0];
                    case "getCallId" -> SipFactory.getInstance().createHeaderFactory().createCallIdHeader("leg@example.test");
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    private static ClientTransaction transaction(Request request) {
        Object[] data = new Object[1];
        return (ClientTransaction) Proxy.newProxyInstance(CallSettleTest.class.getClassLoader(),
                new Class<?>[]{ClientTransaction.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRequest" -> request;
                    case "setApplicationData" -> {
                        data[0] = args[0];
                        yield null;
                    }
                    case "getApplicationData" -> data[0];
                    default -> null;
                });
    }

    private static MediaPlan plan() {
        LegPlan caller = new LegPlan("caller", false, MediaPath.RELAY_UDP, MediaPath.RELAY_UDP, "test");
        LegPlan callee = new LegPlan("callee", false, MediaPath.RELAY_UDP, MediaPath.RELAY_UDP, "test");
        return new MediaPlan(MediaPath.RELAY_UDP, true, "test", List.of(new PathPlan(caller, callee)));
    }
}
