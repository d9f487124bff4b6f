package io.pinhole.proxy.call;

import gov.nist.javax.sip.header.Via;
import io.pinhole.proxy.sip.Flow;
import io.pinhole.proxy.session.InviteVerdict;
import io.pinhole.proxy.session.SessionTimerHeaders;
import io.pinhole.proxy.session.SessionTimerPolicy;
import io.pinhole.proxy.sip.FlowRouter;
import io.pinhole.proxy.sip.RequestRelease;
import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipSender;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** Builds the messages the B2BUA sends: its own INVITEs, in-dialog requests and relayed responses. */
final class CallMessages {

    private final SipFactories factories;
    private final SipSender sender;
    private final SessionTimerPolicy timers;
    private final SessionTimerHeaders timerHeaders;

    CallMessages(SipFactories factories, SipSender sender, SessionTimerPolicy timers, SessionTimerHeaders timerHeaders) {
        this.factories = factories;
        this.sender = sender;
        this.timers = timers;
        this.timerHeaders = timerHeaders;
    }

    static String newTag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    javax.sip.address.URI parseUri(String uri) throws ParseException {
        return factories.addresses().createURI(uri);
    }

    SipProvider provider(Flow flow) {
        return sender.provider(flow.transport());
    }

    ContactHeader contact(String transport) {
        try {
            var uri = factories.addresses().createSipURI(null, sender.advertisedHost());
            uri.setPort(sender.port(transport));
            if (!"UDP".equalsIgnoreCase(transport)) {
                uri.setTransportParam(transport.toLowerCase(Locale.ROOT));
            }
            return factories.headers().createContactHeader(factories.addresses().createAddress(uri));
        } catch (ParseException e) {
            throw new IllegalStateException("cannot build our Contact", e);
        }
    }

    /** A new INVITE of our own towards one binding of the callee (the B2BUA's second dialog). */
    Request invite(Request original, String target, Flow flow, String sdp, int maxForwards) {
        try {
            SipProvider provider = provider(flow);
            CallIdHeader callId = provider.getNewCallId();
            FromHeader originalFrom = (FromHeader) original.getHeader(FromHeader.NAME);
            ToHeader originalTo = (ToHeader) original.getHeader(ToHeader.NAME);
            FromHeader from = factories.headers().createFromHeader((Address) originalFrom.getAddress().clone(), newTag());
            ToHeader to = factories.headers().createToHeader((Address) originalTo.getAddress().clone(), null);
            CSeqHeader cseq = factories.headers().createCSeqHeader(1L, Request.INVITE);
            MaxForwardsHeader mf = factories.headers().createMaxForwardsHeader(maxForwards);
            Via via = (Via) factories.headers().createViaHeader(sender.advertisedHost(), sender.port(flow.transport()),
                    flow.transport(), null);
            via.setRPort();
            Request invite = factories.messages().createRequest(factories.addresses().createURI(target), Request.INVITE,
                    callId, cseq, from, to, List.of(via), mf);
            invite.addHeader(contact(flow.transport()));
            copyHeader(original, invite, "Supported");
            copyHeader(original, invite, "Allow");
            // The caller's session-timer wishes as a proxy passes them on (RFC 4028 §8.1); an
            // INVITE below our Min-SE never gets here (SessionTimerGate answered it 422).
            if (timers.onInvite(SessionTimerHeaders.read(original)) instanceof InviteVerdict.Forward forward) {
                timerHeaders.setSessionExpires(invite, forward.towardsCallee());
                timerHeaders.setMinSe(invite, forward.minSe());
                timerHeaders.addSupportedTimer(invite);
            }
            if (sdp != null) {
                setSdp(invite, sdp);
            }
            FlowRouter.route(invite, flow);
            return invite;
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException("cannot build INVITE to " + target, e);
        }
    }

    /** A response for the caller (or any originator) with our To tag and, for 18x/2xx, our Contact. */
    Response response(Request request, int status, String reason, String toTag, String transport) {
        try {
            Response response = factories.messages().createResponse(status, request);
            if (reason != null) {
                response.setReasonPhrase(reason);
            }
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (status > 100 && to.getTag() == null && toTag != null) {
                to.setTag(toTag);
            }
            if (status > 100 && status < 300 && Request.INVITE.equals(request.getMethod())
                    || status >= 200 && status < 300 && "UPDATE".equals(request.getMethod())) {
                response.setHeader(contact(transport));
            }
            response.addHeader(factories.headers().createServerHeader(List.of("Pinhole")));
            return response;
        } catch (ParseException e) {
            throw new IllegalStateException("cannot build a " + status + " response", e);
        }
    }

    void setSdp(Message message, String sdp) {
        try {
            ContentTypeHeader type = factories.headers().createContentTypeHeader("application", "sdp");
            message.setContent(sdp, type);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    void copyHeader(Message from, Message to, String name) {
        var header = from.getHeader(name);
        if (header != null) {
            to.setHeader((javax.sip.header.Header) header.clone());
        }
    }

    /** A BYE of ours inside {@code dialog}, with a Reason (RFC 3326) telling the phone why. */
    Request bye(Dialog dialog, String why) throws SipException {
        Request bye = dialog.createRequest(Request.BYE);
        try {
            bye.addHeader(factories.headers().createReasonHeader("SIP", 408, why));
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException("cannot build a Reason for " + why, e);
        }
        return bye;
    }

    /** The SDP of a message, or null when it has none. */
    static String sdpOf(Message message) {
        ContentTypeHeader type = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        byte[] raw = message.getRawContent();
        if (raw == null || raw.length == 0 || type == null
                || !"application".equalsIgnoreCase(type.getContentType())
                || !"sdp".equalsIgnoreCase(type.getContentSubType())) {
            return null;
        }
        return new String(raw, StandardCharsets.UTF_8);
    }

    /**
     * Sends a new request inside {@code dialog} along {@code flow}: a BYE or PRACK, whose request
     * no one reads after its answer, so its transaction does not keep a copy ({@link RequestRelease}).
     */
    ClientTransaction sendInDialog(Dialog dialog, Flow flow, Request request) throws SipException {
        FlowRouter.route(request, flow);
        ClientTransaction transaction = RequestRelease.atFinalResponse(provider(flow).getNewClientTransaction(request));
        dialog.sendRequest(transaction);
        return transaction;
    }

    /** ACKs a 2xx received on {@code dialog}, one of {@code call}'s legs. */
    void ack(Call call, Dialog dialog, Flow flow, Response response) throws SipException {
        call.ackSent(System.nanoTime()); // before the ACK: see SentAckRelease
        try {
            long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
            Request ack = dialog.createAck(cseq);
            FlowRouter.route(ack, flow);
            dialog.sendAck(ack);
        } catch (javax.sip.InvalidArgumentException e) {
            throw new SipException("cannot ACK", e);
        }
    }
}
