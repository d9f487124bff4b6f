package io.pinhole.proxy.nat;

import java.util.List;

/**
 * What a request says about where its sender is, next to where its packet came from.
 *
 * @param viaPort     the top Via's port, or -1 when it has none
 * @param contactPort the Contact's port, or -1 when it has none
 * @param sdpAddresses every c= address of the SDP (session and media level), empty without SDP
 */
public record NatEvidence(String sourceAddress, int sourcePort, String viaHost, int viaPort, String contactHost,
                          int contactPort, List<String> sdpAddresses) {

    public NatEvidence {
        sdpAddresses = List.copyOf(sdpAddresses);
    }
}
