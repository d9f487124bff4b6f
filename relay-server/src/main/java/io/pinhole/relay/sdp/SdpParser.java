package io.pinhole.relay.sdp;

import io.pinhole.wire.net.IpLiteral;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Extracts the media facts from an SDP body, rejecting what cannot be relayed. Pure function. */
public final class SdpParser {

    private SdpParser() {
    }

    public static SessionDescription parse(String sdp) throws SdpException {
        SdpLines lines = SdpLines.split(sdp);
        if (lines.text().isEmpty() || !lines.text().get(0).startsWith("v=")) {
            throw new SdpException("Failed to parse SDP: no v= line");
        }
        InetAddress sessionAddress = null;
        Direction sessionDirection = Direction.SENDRECV;
        List<Builder> media = new ArrayList<>();
        Builder current = null;
        for (String line : lines.text()) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new SdpException("Failed to parse SDP: bad line '" + abbreviate(line) + "'");
            }
            if (line.startsWith("m=")) {
                current = media(line, media.size());
                media.add(current);
            } else if (line.startsWith("c=")) {
                InetAddress a = connection(line);
                if (current == null) {
                    sessionAddress = a;
                } else {
                    current.address = a;
                }
            } else if (line.startsWith("a=")) {
                Direction d = Direction.ofAttribute(line);
                if (d != null) {
                    if (current == null) {
                        sessionDirection = d;
                    } else {
                        current.direction = d;
                    }
                } else if (current != null && line.equals("a=rtcp-mux")) {
                    current.rtcpMux = true;
                } else if (current != null && line.startsWith("a=rtcp:")) {
                    current.rtcpPort = rtcpPort(line);
                }
            }
        }
        List<SdpMedia> out = new ArrayList<>(media.size());
        for (Builder b : media) {
            InetAddress address = b.address != null ? b.address : sessionAddress;
            if (address == null) {
                throw new SdpException("Failed to parse SDP: no c= line for media " + (b.index + 1));
            }
            out.add(new SdpMedia(b.index, b.type, b.port, b.protocol, address,
                    b.direction != null ? b.direction : sessionDirection, b.rtcpPort, b.rtcpMux, b.formats));
        }
        return new SessionDescription(List.copyOf(out));
    }

    private static final class Builder {
        int index;
        String type;
        int port;
        String protocol;
        InetAddress address;
        Direction direction;
        int rtcpPort = -1;
        boolean rtcpMux;
        PayloadTypes formats = PayloadTypes.NONE;
    }

    private static Builder media(String line, int index) throws SdpException {
        String[] t = line.substring(2).split(" ");
        if (t.length < 4) {
            throw new SdpException("Failed to parse SDP: bad m= line '" + abbreviate(line) + "'");
        }
        Builder b = new Builder();
        b.index = index;
        b.type = t[0];
        String port = t[1];
        int slash = port.indexOf('/');
        b.port = port(slash < 0 ? port : port.substring(0, slash), line);
        b.protocol = t[2];
        for (int i = 3; i < t.length; i++) {
            b.formats = b.formats.with(payloadType(t[i]));
        }
        return b;
    }

    /** A format token as an RTP payload type, or -1 when it is not one (e.g. {@code t38}, {@code *}). */
    private static int payloadType(String token) {
        if (token.isEmpty() || token.length() > 3) {
            return -1;
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                return -1;
            }
        }
        int value = Integer.parseInt(token);
        return value <= 127 ? value : -1;
    }

    private static int rtcpPort(String line) throws SdpException {
        String v = line.substring("a=rtcp:".length());
        int sp = v.indexOf(' ');
        return port(sp < 0 ? v : v.substring(0, sp), line);
    }

    private static int port(String s, String line) throws SdpException {
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new SdpException("Failed to parse SDP: bad port in '" + abbreviate(line) + "'");
        }
    }

    private static InetAddress connection(String line) throws SdpException {
        String[] t = line.substring(2).split(" ");
        if (t.length != 3 || !t[0].equals("IN")) {
            throw new SdpException("Failed to parse SDP: bad c= line '" + abbreviate(line) + "'");
        }
        String host = t[2];
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        InetAddress a = literal(t[1], host);
        if (a == null) {
            throw new SdpException("Failed to parse SDP: unsupported address in '" + abbreviate(line) + "'");
        }
        return a;
    }

    /** Parses an IP literal of the given SDP family without ever resolving a name. */
    static InetAddress literal(String family, String host) {
        if (family.equals("IP4") && IpLiteral.isIpv4(host)) {
            return IpLiteral.parse(host);
        }
        if (family.equals("IP6") && host.indexOf(':') >= 0) {
            return IpLiteral.parse(host);
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
