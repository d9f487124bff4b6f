package io.pinhole.wire.sdp;

import io.pinhole.wire.net.IpLiteral;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads the facts of an SDP body (RFC 4566) that the proxy and the relay decide on: connection
 * addresses, streams, their ports, formats and attributes. Pure function; never resolves a name.
 * How forgiving it is comes from {@link SdpRules}; what it refuses is a {@link SdpSyntaxException}
 * naming the {@link SdpProblem}, which each caller words for its own protocol.
 */
public final class SdpParser {

    private SdpParser() {
    }

    public static SdpDescription parse(String body, SdpRules rules) throws SdpSyntaxException {
        if (body == null || body.isBlank()) {
            throw fail(SdpProblem.EMPTY, null, -1);
        }
        List<String> lines = SdpLines.split(body).text();
        String first = lines.get(0);
        if (rules.strictHeader() ? !first.trim().equals("v=0") : !first.startsWith("v=")) {
            throw fail(SdpProblem.NO_VERSION, first, -1);
        }
        boolean origin = false;
        Connection session = null;
        List<String> sessionAttributes = new ArrayList<>();
        List<Builder> media = new ArrayList<>();
        Builder current = null;
        for (String raw : lines) {
            String line = rules.lenient() ? raw.trim() : raw;
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw fail(SdpProblem.BAD_LINE, line, media.size() - 1);
            }
            switch (line.charAt(0)) {
                case 'o' -> origin = true;
                case 'm' -> {
                    if (media.size() == rules.maxMedia()) {
                        throw fail(SdpProblem.TOO_MANY_MEDIA, line, media.size());
                    }
                    current = media(line, media.size(), rules);
                    media.add(current);
                }
                case 'c' -> {
                    Connection c = connection(line, rules, media.size() - 1);
                    if (current == null) {
                        session = c;
                    } else {
                        current.connection = c;
                    }
                }
                case 'a' -> {
                    if (current == null) {
                        sessionAttributes.add(line);
                    } else {
                        current.attributes.add(line);
                        if (line.startsWith("a=rtcp:")) {
                            current.rtcpPort = rtcpPort(line, rules, current.index);
                        }
                    }
                }
                default -> {
                }
            }
        }
        if (rules.strictHeader() && !origin) {
            throw fail(SdpProblem.NO_ORIGIN, null, -1);
        }
        List<MediaDescription> out = new ArrayList<>(media.size());
        for (Builder b : media) {
            Connection c = b.connection != null ? b.connection : session;
            if (c == null && (b.port != 0 || rules.disabledMediaNeedsConnection())) {
                throw fail(SdpProblem.NO_CONNECTION, null, b.index);
            }
            out.add(new MediaDescription(b.index, b.type, b.port, b.protocol, b.formats, c, b.attributes, b.rtcpPort));
        }
        return new SdpDescription(session, sessionAttributes, out);
    }

    private static final class Builder {
        int index;
        String type;
        int port;
        String protocol;
        List<String> formats;
        Connection connection;
        final List<String> attributes = new ArrayList<>();
        int rtcpPort = -1;
    }

    private static String[] fields(String value, SdpRules rules) {
        return rules.lenient() ? value.split(" +") : value.split(" ");
    }

    private static Builder media(String line, int index, SdpRules rules) throws SdpSyntaxException {
        String[] t = fields(line.substring(2), rules);
        if (t.length < 4) {
            throw fail(SdpProblem.BAD_MEDIA_LINE, line, index);
        }
        Builder b = new Builder();
        b.index = index;
        b.type = t[0];
        int slash = t[1].indexOf('/');
        b.port = port(slash < 0 ? t[1] : t[1].substring(0, slash), line, index);
        b.protocol = t[2];
        b.formats = Arrays.asList(t).subList(3, t.length);
        return b;
    }

    /** The port of {@code a=rtcp:<port> [...]}; under lenient rules an unreadable one is ignored, as other a= lines are. */
    private static int rtcpPort(String line, SdpRules rules, int index) throws SdpSyntaxException {
        String v = line.substring("a=rtcp:".length());
        int sp = v.indexOf(' ');
        try {
            return port(sp < 0 ? v : v.substring(0, sp), line, index);
        } catch (SdpSyntaxException e) {
            if (rules.lenient()) {
                return -1;
            }
            throw e;
        }
    }

    private static int port(String text, String line, int index) throws SdpSyntaxException {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw fail(SdpProblem.PORT_NOT_A_NUMBER, line, index);
        }
        if (port < 0 || port > 65535) {
            throw fail(SdpProblem.PORT_OUT_OF_RANGE, line, index);
        }
        return port;
    }

    private static Connection connection(String line, SdpRules rules, int index) throws SdpSyntaxException {
        String[] t = fields(line.substring(2), rules);
        if (t.length != 3 || !t[0].equals("IN")) {
            throw fail(SdpProblem.BAD_CONNECTION_LINE, line, index);
        }
        String type = rules.lenient() ? t[1].toUpperCase(Locale.ROOT) : t[1];
        boolean ip4 = type.equals("IP4");
        if (!ip4 && !type.equals("IP6")) {
            throw new SdpSyntaxException(SdpProblem.UNKNOWN_ADDRESS_TYPE, line, index, t[1]);
        }
        int slash = t[2].indexOf('/');
        String host = slash < 0 ? t[2] : t[2].substring(0, slash);
        InetAddress address;
        if (rules.lenient()) {
            address = IpLiteral.parseHost(host);
            if (address != null && (address.getAddress().length == 4) != ip4) {
                throw fail(SdpProblem.ADDRESS_TYPE_MISMATCH, line, index);
            }
        } else if (ip4) {
            address = IpLiteral.isIpv4(host) ? IpLiteral.parse(host) : null;
        } else {
            address = host.indexOf(':') >= 0 ? IpLiteral.parse(host) : null;
        }
        if (address == null) {
            throw fail(notALiteral(host), line, index);
        }
        return new Connection(host, address);
    }

    /** Why an address the rules did not take is refused: a literal in the wrong form, a bad number, or a name. */
    private static SdpProblem notALiteral(String host) {
        if (IpLiteral.parseHost(host) != null) {
            return SdpProblem.ADDRESS_TYPE_MISMATCH;
        }
        if (host.isEmpty() || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return SdpProblem.INVALID_ADDRESS;
        }
        return SdpProblem.HOST_NAME;
    }

    private static SdpSyntaxException fail(SdpProblem problem, String line, int index) {
        return new SdpSyntaxException(problem, line, index, null);
    }
}
