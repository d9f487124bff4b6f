package io.pinhole.proxy.call;

import io.pinhole.proxy.media.SdpSummary;
import io.pinhole.proxy.nat.NatEvidence;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.Flow;

import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.text.ParseException;
import java.util.List;

/** What {@link io.pinhole.proxy.nat.NatDetector} is shown of each leg of a new call. Pure functions. */
final class NatEvidences {

    private NatEvidences() {
    }

    /** The caller: where its INVITE came from against what its Via, Contact and offer claim. */
    static NatEvidence caller(Flow source, Request invite, SdpSummary summary) {
        ViaHeader via = (ViaHeader) invite.getHeader(ViaHeader.NAME);
        ContactHeader contact = (ContactHeader) invite.getHeader(ContactHeader.NAME);
        String contactHost = null;
        int contactPort = -1;
        if (contact != null && contact.getAddress().getURI() instanceof SipURI uri) {
            contactHost = uri.getHost();
            contactPort = uri.getPort();
        }
        return new NatEvidence(source.address(), source.port(), via.getHost(), via.getPort(), contactHost,
                contactPort, summary == null ? List.of() : summary.connectionAddresses());
    }

    /** A callee binding: the flow it registered over against its registered Contact (no Via, no offer yet). */
    static NatEvidence callee(Binding binding, AddressFactory addresses) {
        String host = null;
        int port = -1;
        try {
            if (addresses.createURI(binding.contactUri()) instanceof SipURI sip) {
                host = sip.getHost();
                port = sip.getPort();
            }
        } catch (ParseException e) {
            // stored contacts were parsed once already; a bad one is simply no evidence
        }
        return new NatEvidence(binding.flow().address(), binding.flow().port(), null, -1, host, port, List.of());
    }
}
