package io.pinhole.proxy.conference;

import io.pinhole.proxy.sip.FlowRouter;
import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipSender;

import javax.sip.SipException;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;

/** The messages the proxy sends as a party's UAS: answers with our tag and Contact, BYEs with a Reason. */
final class PartyMessages {

    private final SipFactories factories;
    private final SipSender server;

    /** The server is looked up late: it needs the handlers, and the handlers need this. */
    PartyMessages(SipFactories factories, SipSender server) {
        this.factories = factories;
        this.server = server;
    }

    /** A response to an INVITE (initial or re-INVITE) or other request of the party. */
    Response response(Request request, Party party, int status, String phrase, String sdp, Integer cause,
                      String reasonText) {
        try {
            Response response = factories.messages().createResponse(status, request);
            response.setReasonPhrase(phrase);
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (to.getTag() == null) {
                to.setTag(party.toTag);
            }
            if (status >= 200 && status < 300 && Request.INVITE.equals(request.getMethod())) {
                response.setHeader(contact(party.flow.transport()));
            }
            if (sdp != null) {
                ContentTypeHeader type = factories.headers().createContentTypeHeader("application", "sdp");
                response.setContent(sdp, type);
            }
            if (reasonText != null) {
                response.addHeader(factories.headers().createReasonHeader("SIP", cause == null ? status : cause,
                        reasonText));
            }
            response.addHeader(factories.headers().createServerHeader(List.of("Pinhole")));
            return response;
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException("cannot build a " + status + " for a conference party", e);
        }
    }

    /** Sends a BYE in the party's dialog along its flow, with {@code Reason: SIP;cause=..;text=".."}. */
    void bye(Party party, int cause, String text) throws SipException {
        Request bye = party.dialog.createRequest(Request.BYE);
        try {
            bye.addHeader(factories.headers().createReasonHeader("SIP", cause, text));
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException("cannot build a Reason for " + text, e);
        }
        FlowRouter.route(bye, party.flow);
        var transaction = server.provider(party.flow.transport()).getNewClientTransaction(bye);
        party.dialog.sendRequest(transaction);
    }

    private ContactHeader contact(String transport) throws ParseException {
        var uri = factories.addresses().createSipURI(null, server.advertisedHost());
        uri.setPort(server.port(transport));
        if (!"UDP".equalsIgnoreCase(transport)) {
            uri.setTransportParam(transport.toLowerCase(Locale.ROOT));
        }
        return factories.headers().createContactHeader(factories.addresses().createAddress(uri));
    }
}
