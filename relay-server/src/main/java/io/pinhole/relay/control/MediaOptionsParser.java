package io.pinhole.relay.control;

import io.pinhole.relay.call.MediaOptions;
import io.pinhole.relay.sdp.IceMode;
import io.pinhole.wire.net.IpLiteral;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/** Turns the ng keys of an offer or answer into {@link MediaOptions}. */
final class MediaOptionsParser {

    private final boolean defaultStrictSource;

    MediaOptionsParser(boolean defaultStrictSource) {
        this.defaultStrictSource = defaultStrictSource;
    }

    MediaOptions parse(NgRequest r) throws NgException {
        Set<String> flags = r.names("flags");
        Set<String> replace = r.names("replace");
        Set<String> mux = r.names("rtcp-mux");
        boolean sipSource = flags.contains("sip-source-address") && !flags.contains("trust-address");
        InetAddress receivedFrom = receivedFrom(r.list("received-from"));
        String mediaAddressText = r.string("media-address");
        InetAddress mediaAddress = null;
        if (mediaAddressText != null && !mediaAddressText.isEmpty()) {
            mediaAddress = IpLiteral.parse(mediaAddressText);
            if (mediaAddress == null) {
                throw new NgException("Invalid media-address");
            }
        }
        List<String> direction = r.list("direction");
        if (direction.size() > 2) {
            throw new NgException("Invalid direction");
        }
        boolean symmetric = !flags.contains("asymmetric") || flags.contains("symmetric");
        boolean strict = defaultStrictSource || flags.contains("strict-source");
        IceMode ice = ice(r.string("ICE"));
        return new MediaOptions(sipSource, receivedFrom, mediaAddress, symmetric, strict,
                replace.contains("origin"), ice, mux.contains("offer"), mux.contains("accept"), mux.contains("demux"));
    }

    private static InetAddress receivedFrom(List<String> value) throws NgException {
        if (value.isEmpty()) {
            return null;
        }
        String text = value.size() == 2 ? value.get(1) : value.get(0);
        InetAddress a = IpLiteral.parse(text);
        if (a == null) {
            throw new NgException("Invalid received-from address");
        }
        return a;
    }

    private static IceMode ice(String value) throws NgException {
        if (value == null) {
            return IceMode.REMOVE;
        }
        return switch (NgRequest.normalise(value)) {
            case "remove", "default", "optional" -> IceMode.REMOVE;
            case "force", "force-relay" -> IceMode.FORCE;
            default -> throw new NgException("Invalid ICE option");
        };
    }
}
