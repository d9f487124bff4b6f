package io.pinhole.edge.sip;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** Responses the agent makes itself (RFC 3261 8.2.6): Vias, From, To, Call-ID and CSeq copied. */
public final class Responses {

    private Responses() {
    }

    public static SipMessage to(SipMessage request, int status, String reason) {
        StringBuilder sb = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        for (String via : request.headers("Via")) {
            sb.append("Via: ").append(via).append("\r\n");
        }
        String to = request.header("To");
        if (to != null && request.toTag() == null && status > 100) {
            to = to + ";tag=ph" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        }
        for (String name : new String[] {"From", "Call-ID", "CSeq"}) {
            String v = request.header(name);
            if (v != null) {
                sb.append(name).append(": ").append(v).append("\r\n");
            }
        }
        if (to != null) {
            sb.append("To: ").append(to).append("\r\n");
        }
        sb.append("Server: pinhole-edge\r\nContent-Length: 0\r\n\r\n");
        return SipMessage.parse(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
