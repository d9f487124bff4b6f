package io.pinhole.proxy.punch;

import io.pinhole.proxy.media.IceSdp;
import java.util.ArrayList;
import java.util.List;

/**
 * The SDP of a re-offer that moves a phone's media, as a pure rewrite of the SDP the phone last
 * got from us: the same session (o= user and id), the version one up (RFC 3264 §8), the same
 * codecs and attributes; only where media goes changes (and the relay's ICE candidates go with it).
 */
public final class DirectSdp {

    /** An SDP this rewrite cannot handle: the phone stays relayed. */
    public static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    private DirectSdp() {
    }

    /**
     * Media straight to {@code address}:{@code port} (the peer's public mapping): c= and o= name that
     * address (some phones compare the two), the audio m= that port. RTCP stays on the relay: one
     * {@code a=rtcp} line names the relay's RTCP port and address (RFC 3605), so the phone's receiver
     * reports keep reaching the relay and tell whether the other phone's media arrives direct. With
     * {@code a=rtcp-mux} RTCP travels with RTP and cannot stay behind: the line goes.
     */
    public static String towards(String sdp, String address, int port) throws Unusable {
        List<String> in = lines(sdp);
        String relayAddress = null;
        int relayRtp = -1;
        int relayRtcp = -1;
        boolean mux = false;
        for (String line : in) {
            if (line.startsWith("c=") && relayAddress == null) {
                String[] c = line.split(" ");
                relayAddress = c.length == 3 ? c[2] : null;
            } else if (line.startsWith("m=")) {
                String[] m = line.split(" ");
                relayRtp = m.length > 1 && m[1].matches("[0-9]{1,5}") ? Integer.parseInt(m[1]) : -1;
            } else if (line.startsWith("a=rtcp:")) {
                String p = line.substring("a=rtcp:".length()).split(" ")[0];
                relayRtcp = p.matches("[0-9]{1,5}") ? Integer.parseInt(p) : -1;
            } else if (line.equals("a=rtcp-mux")) {
                mux = true;
            }
        }
        String rtcp = mux || relayAddress == null || relayRtp < 0 ? null
                : "a=rtcp:" + (relayRtcp > 0 ? relayRtcp : relayRtp + 1) + " IN " + family(relayAddress) + " " + relayAddress;
        List<String> out = new ArrayList<>();
        boolean audio = false;
        for (String line : in) {
            if (line.startsWith("o=")) {
                out.add(origin(line, address, 1));
            } else if (line.startsWith("c=")) {
                out.add("c=IN " + family(address) + " " + address);
            } else if (line.startsWith("m=")) {
                if (audio) {
                    throw new Unusable("more than one media line");
                }
                String[] parts = line.split(" ", 3);
                if (parts.length < 3 || !parts[0].equals("m=audio")) {
                    throw new Unusable("not one audio stream: " + line);
                }
                audio = true;
                out.add(parts[0] + " " + port + " " + parts[2]);
            } else if (line.startsWith("a=rtcp:")) {
                if (rtcp != null) {
                    out.add(rtcp); // in place of the relay's own line
                    rtcp = null;
                }
            } else if (IceSdp.isIce(line)) {
                continue; // the relay's candidates (ICE=force) would contradict the direct c=/m=
            } else {
                out.add(line);
            }
        }
        if (!audio) {
            throw new Unusable("no audio stream");
        }
        if (rtcp != null) {
            out.add(rtcp); // the audio section is the last: its attributes end the SDP
        }
        return join(out);
    }

    /**
     * {@code sdp} (another relay's, after a failover) with its o= version above that of
     * {@code current}, the SDP the phone has (RFC 3264 §8); {@code sdp} as it is when the phone has
     * none or either has no usable o= line.
     */
    public static String above(String sdp, String current) {
        if (current == null) {
            return sdp;
        }
        try {
            return again(sdp, current);
        } catch (Unusable e) {
            return sdp;
        }
    }

    /**
     * {@code relayed}, the SDP that had the phone send to the relay, again, with the version one
     * above that of {@code current}, the SDP the phone has now.
     */
    public static String again(String relayed, String current) throws Unusable {
        long version = version(current);
        List<String> out = new ArrayList<>();
        for (String line : lines(relayed)) {
            if (line.startsWith("o=")) {
                String[] o = fields(line);
                o[2] = Long.toString(version + 1);
                out.add(String.join(" ", o));
            } else {
                out.add(line);
            }
        }
        return join(out);
    }

    /** The o= version of an SDP. */
    static long version(String sdp) throws Unusable {
        for (String line : lines(sdp)) {
            if (line.startsWith("o=")) {
                return Long.parseLong(fields(line)[2]);
            }
        }
        throw new Unusable("no o= line");
    }

    private static String origin(String line, String address, long step) throws Unusable {
        String[] o = fields(line);
        o[2] = Long.toString(Long.parseLong(o[2]) + step);
        o[4] = family(address);
        o[5] = address;
        return String.join(" ", o);
    }

    private static String[] fields(String origin) throws Unusable {
        String[] o = origin.split(" ");
        if (o.length != 6 || !o[2].matches("[0-9]{1,18}")) {
            throw new Unusable("malformed o= line: " + origin);
        }
        return o;
    }

    private static String family(String address) {
        return address.contains(":") ? "IP6" : "IP4";
    }

    private static List<String> lines(String sdp) {
        return List.of(sdp.split("\r?\n"));
    }

    private static String join(List<String> lines) {
        return String.join("\r\n", lines) + "\r\n";
    }
}
