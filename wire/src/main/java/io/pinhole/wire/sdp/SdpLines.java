package io.pinhole.wire.sdp;

import java.util.ArrayList;
import java.util.List;

/** Splits an SDP body into lines, keeping each line's own terminator so unknown lines go out byte-exact. */
public record SdpLines(List<String> text, List<String> terminators) {

    /** Lines end at LF; a CR before it belongs to the terminator. */
    public static SdpLines split(String sdp) {
        List<String> text = new ArrayList<>();
        List<String> terms = new ArrayList<>();
        int pos = 0;
        int n = sdp.length();
        while (pos < n) {
            int nl = sdp.indexOf('\n', pos);
            int lineEnd = nl < 0 ? n : nl;
            int contentEnd = (lineEnd > pos && sdp.charAt(lineEnd - 1) == '\r') ? lineEnd - 1 : lineEnd;
            text.add(sdp.substring(pos, contentEnd));
            terms.add(nl < 0 ? sdp.substring(contentEnd, n) : sdp.substring(contentEnd, nl + 1));
            pos = nl < 0 ? n : nl + 1;
        }
        return new SdpLines(text, terms);
    }

    /** The terminator to use for lines we add: the body's own style. */
    public String defaultTerminator() {
        for (String t : terminators) {
            if (!t.isEmpty()) {
                return t;
            }
        }
        return "\r\n";
    }
}
