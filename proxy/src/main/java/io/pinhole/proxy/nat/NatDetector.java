package io.pinhole.proxy.nat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Seed 001's NAT test as a pure function: the addresses a phone writes into Via, Contact and
 * SDP against the address its packet really came from (RFC 3581). An address is evidence of
 * NAT when it differs from the source, or when it is private while the source is not (a phone
 * on the proxy's own LAN has matching private addresses and is not behind NAT). Host names
 * are not resolved (no DNS on the signalling path) and so are no evidence either way;
 * c=0.0.0.0 (hold) is ignored.
 */
public final class NatDetector {

    private NatDetector() {
    }

    public static NatVerdict detect(NatEvidence e) {
        Optional<InetAddress> source = AddressClass.literal(e.sourceAddress());
        if (source.isEmpty()) {
            return NatVerdict.PUBLIC;
        }
        boolean sourcePrivate = AddressClass.isPrivate(source.get());
        List<String> reasons = new ArrayList<>();
        check("Via", e.viaHost(), source.get(), sourcePrivate, reasons);
        if (e.viaPort() > 0 && e.viaPort() != e.sourcePort()) {
            reasons.add("Via port " + e.viaPort() + " is not source port " + e.sourcePort());
        }
        check("Contact", e.contactHost(), source.get(), sourcePrivate, reasons);
        for (String sdp : e.sdpAddresses()) {
            if (!isHold(sdp)) {
                check("SDP", sdp, source.get(), sourcePrivate, reasons);
            }
        }
        return reasons.isEmpty() ? NatVerdict.PUBLIC : new NatVerdict(true, reasons);
    }

    private static void check(String where, String host, InetAddress source, boolean sourcePrivate, List<String> reasons) {
        Optional<InetAddress> address = AddressClass.literal(host);
        if (address.isEmpty()) {
            return;
        }
        if (!address.get().equals(source)) {
            if (AddressClass.isPrivate(address.get()) && !sourcePrivate) {
                reasons.add(where + " address " + host + " is private, packet came from " + source.getHostAddress());
            } else {
                reasons.add(where + " address " + host + " is not the source " + source.getHostAddress());
            }
        }
    }

    private static boolean isHold(String address) {
        return "0.0.0.0".equals(address) || "::".equals(address);
    }
}
