package io.pinhole.proxy.conference;

import java.util.Locale;

/** What the admin API shows of a party's media, read from the SDPs: pure, no parser state. */
final class PartySdp {

    private PartySdp() {
    }

    /** PCMU or PCMA: the first payload type of the answer's audio line (the relay answers exactly one). */
    static String codec(String answer) {
        for (String line : answer.split("\r?\n")) {
            if (line.startsWith("m=audio ")) {
                String[] parts = line.trim().split(" ");
                if (parts.length > 3) {
                    return switch (parts[3]) {
                        case "0" -> "PCMU";
                        case "8" -> "PCMA";
                        default -> parts[3];
                    };
                }
            }
        }
        return null;
    }

    /** Whether an offer puts the party on hold: sendonly, inactive, or the RFC 2543 c=0.0.0.0. */
    static boolean holds(String offer) {
        for (String line : offer.split("\r?\n")) {
            String l = line.trim().toLowerCase(Locale.ROOT);
            if (l.equals("a=sendonly") || l.equals("a=inactive") || l.startsWith("c=in ip4 0.0.0.0")) {
                return true;
            }
        }
        return false;
    }
}
