package io.pinhole.proxy.auth;

import io.pinhole.proxy.sip.SipFactories;
import org.junit.jupiter.api.Test;

import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The challenge set a 401 offers: every algorithm, or MD5 alone for the User-Agents that need it. */
class ChallengesTest {

    private final SipFactories factories = SipFactories.create();
    private final Challenges challenges = new Challenges(factories, List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5),
            List.of(Pattern.compile("^baresip")));

    private Request register(String userAgent) throws Exception {
        String text = "REGISTER sip:example.org SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1\r\n"
                + "From: <sip:alice@example.org>;tag=1\r\n"
                + "To: <sip:alice@example.org>\r\n"
                + "Call-ID: c1\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + (userAgent == null ? "" : "User-Agent: " + userAgent + "\r\n")
                + "Contact: <sip:alice@192.0.2.1:5060>\r\n"
                + "Content-Length: 0\r\n\r\n";
        return factories.messages().createRequest(text);
    }

    private List<String> offered(String userAgent) throws Exception {
        Request request = register(userAgent);
        Response response = factories.messages().createResponse(401, request);
        challenges.challenge(response, request, "example.org", "n0nce", false, false);
        List<String> algorithms = new ArrayList<>();
        for (Iterator<?> it = response.getHeaders(WWWAuthenticateHeader.NAME); it.hasNext(); ) {
            algorithms.add(((WWWAuthenticateHeader) it.next()).getAlgorithm());
        }
        return algorithms;
    }

    @Test
    void everyAlgorithmMostPreferredFirst() throws Exception {
        assertThat(offered("Linphone/5.2")).containsExactly("SHA-256", "MD5");
        assertThat(offered(null)).containsExactly("SHA-256", "MD5");
    }

    @Test
    void md5AloneForAMatchingUserAgentEveryTime() throws Exception {
        // the second answer comes from the remembered verdict: it must not differ
        assertThat(offered("baresip v3.10.1 (x86_64/linux)")).containsExactly("MD5");
        assertThat(offered("baresip v3.10.1 (x86_64/linux)")).containsExactly("MD5");
        assertThat(offered("Linphone/5.2")).containsExactly("SHA-256", "MD5");
        assertThat(offered("Linphone/5.2")).containsExactly("SHA-256", "MD5");
    }

    @Test
    void manyUserAgentsStillGetTheRightSet() throws Exception {
        for (int i = 0; i < 1100; i++) {
            assertThat(offered("phone-" + i)).hasSize(2);
        }
        assertThat(offered("baresip 1")).containsExactly("MD5");
        assertThat(offered("  baresip 2  ")).containsExactly("MD5");
    }
}
