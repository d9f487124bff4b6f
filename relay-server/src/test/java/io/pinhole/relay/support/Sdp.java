package io.pinhole.relay.support;

import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SDP bodies and look-ups for tests. */
public final class Sdp {

    private Sdp() {
    }

    public static String audio(String ip, int port) {
        return "v=0\r\no=- 1545997027 1 IN IP4 " + ip + "\r\ns=tester\r\nc=IN IP4 " + ip + "\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=ptime:20\r\na=sendrecv\r\n";
    }

    public static String audioVideo(String ip, int audioPort, int videoPort) {
        return "v=0\r\no=- 1545997027 1 IN IP4 " + ip + "\r\ns=tester\r\nc=IN IP4 " + ip + "\r\nt=0 0\r\n"
                + "m=audio " + audioPort + " RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n"
                + "m=video " + videoPort + " RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=sendrecv\r\n";
    }

    /** The n-th (0-based) m= port. */
    public static int port(String sdp, int n) {
        Matcher m = Pattern.compile("(?m)^m=\\S+ (\\d+)").matcher(sdp);
        for (int i = 0; i <= n; i++) {
            if (!m.find()) {
                throw new AssertionError("no m= line " + n + " in\n" + sdp);
            }
        }
        return Integer.parseInt(m.group(1));
    }

    /** The last c= address (session or media level). */
    public static String address(String sdp) {
        Matcher m = Pattern.compile("(?m)^c=IN IP[46] (\\S+?)\\r?$").matcher(sdp);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            throw new AssertionError("no c= in\n" + sdp);
        }
        return last;
    }

    public static InetSocketAddress media(String sdp, int n) {
        return new InetSocketAddress(address(sdp), port(sdp, n));
    }
}
