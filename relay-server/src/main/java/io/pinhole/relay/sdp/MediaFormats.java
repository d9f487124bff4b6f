package io.pinhole.relay.sdp;

import io.pinhole.wire.sdp.SdpLines;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The formats of one {@code m=} line in the offerer's order of preference, and the payload type
 * it maps to {@code telephone-event} (RFC 4733), for code that must choose a codec rather than
 * pass the offer on (the conference mixer). The rest of the media facts come from
 * {@link SdpParser}.
 *
 * @param index          0-based position among the m= lines
 * @param order          the numeric formats as the m= line lists them
 * @param telephoneEvent the payload type of {@code a=rtpmap:<pt> telephone-event/8000}, or -1
 */
public record MediaFormats(int index, List<Integer> order, int telephoneEvent) {

    /** One entry per m= line, in order. Pure function; lines it does not need are skipped. */
    public static List<MediaFormats> parse(String sdp) {
        SdpLines lines = SdpLines.split(sdp);
        List<MediaFormats> out = new ArrayList<>();
        List<Integer> order = null;
        int event = -1;
        for (String line : lines.text()) {
            if (line.startsWith("m=")) {
                if (order != null) {
                    out.add(new MediaFormats(out.size(), List.copyOf(order), event));
                }
                order = new ArrayList<>();
                event = -1;
                String[] t = line.substring(2).split(" ");
                for (int i = 3; i < t.length; i++) {
                    int pt = number(t[i]);
                    if (pt >= 0) {
                        order.add(pt);
                    }
                }
            } else if (order != null && line.startsWith("a=rtpmap:")) {
                int sp = line.indexOf(' ');
                if (sp > 0 && line.substring(sp + 1).toLowerCase(Locale.ROOT).startsWith("telephone-event/8000")) {
                    int pt = number(line.substring("a=rtpmap:".length(), sp));
                    if (pt >= 0 && order.contains(pt)) {
                        event = pt;
                    }
                }
            }
        }
        if (order != null) {
            out.add(new MediaFormats(out.size(), List.copyOf(order), event));
        }
        return out;
    }

    private static int number(String token) {
        if (token.isEmpty() || token.length() > 3) {
            return -1;
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                return -1;
            }
        }
        int v = Integer.parseInt(token);
        return v <= 127 ? v : -1;
    }
}
