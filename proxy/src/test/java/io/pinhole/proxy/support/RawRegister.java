package io.pinhole.proxy.support;

import io.pinhole.proxy.auth.DigestAlgorithm;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Hand-built REGISTERs, and digest answers computed independently of the proxy's code path. */
public final class RawRegister {

    private final String user;
    private final String domain;
    private final int localPort;
    private final String callId = UUID.randomUUID().toString();
    private int cseq = 1;

    public RawRegister(String user, String domain, int localPort) {
        this.user = user;
        this.domain = domain;
        this.localPort = localPort;
    }

    public String request(String extraHeaders) {
        return "REGISTER sip:" + domain + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + localPort + ";branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", "") + ";rport\r\n"
                + "From: <sip:" + user + "@" + domain + ">;tag=" + callId.substring(0, 8) + "\r\n"
                + "To: <sip:" + user + "@" + domain + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + (cseq++) + " REGISTER\r\n"
                + "Max-Forwards: 70\r\n"
                + extraHeaders
                + "Content-Length: 0\r\n\r\n";
    }

    public String contact() {
        return "Contact: <sip:" + user + "@127.0.0.1:" + localPort + ">\r\n";
    }

    /** The parameters of a WWW-Authenticate value. */
    public static Map<String, String> challengeParams(String headerValue) {
        Map<String, String> params = new java.util.HashMap<>();
        Matcher m = Pattern.compile("([A-Za-z-]+)=(\"([^\"]*)\"|[^,\\s]+)").matcher(headerValue);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(), m.group(3) != null ? m.group(3) : m.group(2));
        }
        return params;
    }

    /** An Authorization header answering {@code nonce} with qop=auth. */
    public String authorization(DigestAlgorithm algorithm, String password, String nonce, String nc) {
        String uri = "sip:" + domain;
        String cnonce = "c" + Integer.toHexString(nonce.hashCode());
        String ha1 = algorithm.hex(user + ":" + domain + ":" + password);
        String ha2 = algorithm.hex("REGISTER:" + uri);
        String response = algorithm.hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return "Authorization: Digest username=\"" + user + "\",realm=\"" + domain + "\",nonce=\"" + nonce
                + "\",uri=\"" + uri + "\",response=\"" + response + "\",algorithm=" + algorithm.wireName()
                + ",qop=auth,nc=" + nc + ",cnonce=\"" + cnonce + "\"\r\n";
    }
}
