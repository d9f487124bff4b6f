package io.pinhole.proxy.call;

import io.pinhole.proxy.auth.DigestAlgorithm;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RawRegister;
import io.pinhole.proxy.support.TcpSipPhone;
import io.pinhole.testsupport.RawSip;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A phone registered over TCP is called over that same connection (RFC 5626 flows), even
 * though the Contact it registered cannot be reached.
 */
class TcpFlowIT {

    private static final String DOMAIN = "tcp.example";
    private static final String SDP = "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 7078 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";

    @Test
    void callReachesThePhoneOverItsRegistrationConnection() throws Exception {
        try (ProxyInstance proxy = ProxyInstance.start(Map.of("pinhole.media.policy", "never"));
             TcpSipPhone bob = new TcpSipPhone(proxy.sipPort())) {
            proxy.addUser(DOMAIN, "alice", "correct-horse");
            proxy.addUser(DOMAIN, "bob", "correct-horse");
            // Port 9 (discard) on loopback: nothing listens there, only the open connection works.
            String contact = "Contact: <sip:bob@127.0.0.1:9;transport=tcp>\r\n";
            RawRegister reg = new RawRegister("bob", DOMAIN, bob.localPort());
            bob.send(tcp(reg.request(contact + "Expires: 600\r\n")));
            String challenge = bob.readUntil("SIP/2.0");
            String nonce = RawSip.headers(challenge, "WWW-Authenticate").stream().map(RawRegister::challengeParams)
                    .filter(p -> "MD5".equals(p.get("algorithm"))).findFirst().orElseThrow().get("nonce");
            bob.send(tcp(reg.request(contact + "Expires: 600\r\n"
                    + reg.authorization(DigestAlgorithm.MD5, "correct-horse", nonce, "00000001"))));
            assertThat(bob.readUntil("SIP/2.0")).startsWith("SIP/2.0 200");

            Sipp.Running alice = Sipp.scenario("call-uac.xml", proxy.sipTarget()).service("alice")
                    .credentials("alice", "correct-horse").key("domain", DOMAIN).key("callee", "bob")
                    .key("sdp_ip", "127.0.0.1").start();
            String invite = bob.readUntil("INVITE ");
            bob.send(TcpSipPhone.respond(invite, "200 OK", "bobtag",
                    "Contact: <sip:bob@127.0.0.1:9;transport=tcp>\r\n", SDP));
            assertThat(bob.readUntil("ACK ")).contains("CSeq: 1 ACK");
            String bye = bob.readUntil("BYE ");
            bob.send(TcpSipPhone.respond(bye, "200 OK", null, "", null));
            Sipp.Result result = alice.await();

            assertThat(invite).startsWith("INVITE sip:bob@127.0.0.1:9;transport=tcp SIP/2.0").contains("SIP/2.0/TCP");
            assertThat(result.passed()).as(result.describe()).isTrue();
        }
    }

    private static String tcp(String udpRequest) {
        return udpRequest.replace("SIP/2.0/UDP", "SIP/2.0/TCP");
    }
}
