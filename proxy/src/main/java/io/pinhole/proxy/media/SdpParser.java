package io.pinhole.proxy.media;

import io.pinhole.proxy.nat.AddressClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Checks an SDP body (RFC 4566) and summarises it; rejects what a relay could not work with. */
public final class SdpParser {

    /** An SDP that cannot be used, with the reason for the 400/488 reason phrase. */
    public static final class InvalidSdp extends Exception {
        private final boolean wellFormed;

        public InvalidSdp(String reason) {
            this(reason, false);
        }

        private InvalidSdp(String reason, boolean wellFormed) {
            super(reason, null, false, false);
            this.wellFormed = wellFormed;
        }

        /** Legal SDP that Pinhole does not take (488 Not Acceptable Here rather than 400). */
        static InvalidSdp notAcceptable(String reason) {
            return new InvalidSdp(reason, true);
        }

        public boolean wellFormed() {
            return wellFormed;
        }
    }

    private static final int MAX_MEDIA = 16;

    private SdpParser() {
    }

    public static SdpSummary parse(String body) throws InvalidSdp {
        if (body == null || body.isBlank()) {
            throw new InvalidSdp("empty SDP");
        }
        String[] lines = body.split("\r?\n");
        if (!lines[0].trim().equals("v=0")) {
            throw new InvalidSdp("SDP must start with v=0");
        }
        boolean origin = false;
        String sessionAddress = null;
        List<String[]> media = new ArrayList<>();
        String[] current = null;
        for (String raw : lines) {
            String line = raw.trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new InvalidSdp("malformed SDP line");
            }
            String value = line.substring(2);
            switch (line.charAt(0)) {
                case 'o' -> origin = true;
                case 'c' -> {
                    String address = connection(value);
                    if (current == null) {
                        sessionAddress = address;
                    } else {
                        current[2] = address;
                    }
                }
                case 'm' -> {
                    if (media.size() == MAX_MEDIA) {
                        throw new InvalidSdp("too many media lines");
                    }
                    String[] parts = value.split(" +");
                    if (parts.length < 4) {
                        throw new InvalidSdp("malformed m= line");
                    }
                    current = new String[]{parts[0], String.valueOf(port(parts[1])), null};
                    media.add(current);
                }
                default -> {
                }
            }
        }
        if (!origin) {
            throw new InvalidSdp("SDP has no o= line");
        }
        List<SdpSummary.Media> summary = new ArrayList<>();
        for (String[] m : media) {
            String address = m[2] != null ? m[2] : sessionAddress;
            if (address == null && Integer.parseInt(m[1]) != 0) {
                throw new InvalidSdp("media without a connection address");
            }
            summary.add(new SdpSummary.Media(m[0], Integer.parseInt(m[1]), address));
        }
        return new SdpSummary(sessionAddress, summary);
    }

    private static int port(String field) throws InvalidSdp {
        String digits = field.contains("/") ? field.substring(0, field.indexOf('/')) : field;
        try {
            int port = Integer.parseInt(digits);
            if (port < 0 || port > 65535) {
                throw new InvalidSdp("media port out of range");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new InvalidSdp("media port is not a number");
        }
    }

    private static String connection(String value) throws InvalidSdp {
        String[] parts = value.split(" +");
        if (parts.length != 3 || !parts[0].equals("IN")) {
            throw new InvalidSdp("malformed c= line");
        }
        String type = parts[1].toUpperCase(Locale.ROOT);
        String address = parts[2].contains("/") ? parts[2].substring(0, parts[2].indexOf('/')) : parts[2];
        var literal = AddressClass.literal(address);
        if (!type.equals("IP4") && !type.equals("IP6")) {
            throw new InvalidSdp("unknown address type " + parts[1]);
        }
        if (literal.isEmpty()) {
            if (address.matches("[0-9.]+") || address.isEmpty()) {
                throw new InvalidSdp("invalid address in c= line");
            }
            // A host name in c= is legal SDP, but the relay (like rtpengine) takes IP literals only, and
            // resolving it here would put DNS on the signalling path: refused up front for every call,
            // relayed or not, instead of a 503 from the relay for some of them.
            throw InvalidSdp.notAcceptable("host name in c= line, an IP address is required");
        }
        boolean v4 = literal.get().getAddress().length == 4;
        if (v4 != type.equals("IP4")) {
            throw new InvalidSdp("c= address does not match its type");
        }
        return address;
    }
}
