package io.pinhole.proxy.sip;

import static io.pinhole.testsupport.RawSip.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.proxy.auth.DigestAlgorithm;
import io.pinhole.proxy.support.KamailioProcess;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RawRegister;
import io.pinhole.proxy.support.RedirectProcess;
import io.pinhole.proxy.support.TestDatabase;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.RawSip;
import java.net.InetAddress;
import java.util.List;
import io.pinhole.testsupport.Scratch;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SIP capture as an operator sets it up: the proxy sends every message it receives and sends as
 * HEP v3 to a collector, here a real one, Kamailio's {@code sipcapture} module, which decodes each
 * packet and logs the captured message's method or status, Call-ID and source address. A phone
 * registers (401, then 200) and sends an OPTIONS: the collector must have seen all four messages of
 * the registration and both of the OPTIONS, each with the right source: the phone's port for what
 * the phone sent, the proxy's SIP port for what the proxy sent. The redirect server, a separate
 * process with its own capture id, sends its messages there too: an INVITE to it and its answer.
 */
class HepCaptureIT {

    private static final String DOMAIN = "hep.example";

    @Test
    void everyMessageInAndOutReachesAHepCollector() throws Exception {
        String missing = KamailioProcess.missingPrerequisite();
        assertThat(missing).as("Kamailio with sipcapture (Debian kamailio-extra-modules)").isNull();
        int collectorPort = FreePorts.udpAndTcp();
        try (KamailioProcess collector = KamailioProcess.start("/kamailio/hep-collector.cfg", "127.0.0.1", collectorPort,
                Map.of("DBDIR", Scratch.directory("hep-db").toString()));
             ProxyInstance proxy = ProxyInstance.start(Map.of("pinhole.capture.hep-collector", "udp:127.0.0.1:" + collectorPort,
                     "pinhole.capture.hep-capture-id", 2001, "pinhole.sip.advertised-address", "127.0.0.1",
                     "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false));
             RawSip phone = new RawSip(proxy.sipPort());
             RedirectProcess redirect = RedirectProcess.start(TestDatabase.freshDatabaseUrl(), FreePorts.udpAndTcp(), "127.0.0.1",
                     List.of("--pinhole.redirect.capture.hep-collector=udp:127.0.0.1:" + collectorPort));
             RawSip toRedirect = new RawSip(InetAddress.getLoopbackAddress(), redirect.port())) {
            proxy.addUser(DOMAIN, "alice", "correct-horse");
            RawRegister register = new RawRegister("alice", DOMAIN, phone.localPort());
            String challenge = phone.request(register.request(register.contact())).orElseThrow();
            assertThat(status(challenge)).isEqualTo(401);
            String nonce = RawRegister.challengeParams(RawSip.header(challenge, "WWW-Authenticate")).get("nonce");
            String ok = phone.request(register.request(register.contact()
                    + register.authorization(DigestAlgorithm.MD5, "correct-horse", nonce, "00000001"))).orElseThrow();
            assertThat(status(ok)).isEqualTo(200);
            String options = "OPTIONS sip:" + DOMAIN + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + phone.localPort() + ";branch=z9hG4bKhepopt;rport\r\n"
                    + "From: <sip:alice@" + DOMAIN + ">;tag=h1\r\nTo: <sip:" + DOMAIN + ">\r\n"
                    + "Call-ID: hep-options-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            assertThat(phone.request(options)).isPresent();

            String invite = "INVITE sip:bob@nowhere.example SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + toRedirect.localPort() + ";branch=z9hG4bKhepinv;rport\r\n"
                    + "From: <sip:alice@" + DOMAIN + ">;tag=h2\r\nTo: <sip:bob@nowhere.example>\r\n"
                    + "Call-ID: hep-redirect-1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                    + "Contact: <sip:alice@127.0.0.1:" + toRedirect.localPort() + ">\r\nContent-Length: 0\r\n\r\n";
            String redirected = toRedirect.request(invite).orElseThrow();
            int redirectStatus = status(redirected);

            String callId = RawSip.header(challenge, "Call-ID");
            String phoneAt = "127.0.0.1:" + phone.localPort();
            String proxyAt = "127.0.0.1:" + proxy.sipPort();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String redirectAt = "127.0.0.1:" + redirect.port();
            while ((count(collector.output(), "reply 200 call-id=hep-options-1 from=" + proxyAt) == 0
                    || count(collector.output(), "reply " + redirectStatus + " call-id=hep-redirect-1 from=" + redirectAt) == 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(100); // the options answer is the last message; the exporter sends in order
            }
            Thread.sleep(300);
            {
                String log = collector.output();
                assertThat(count(log, "request REGISTER call-id=" + callId + " from=" + phoneAt))
                        .as("both REGISTERs, from the phone, in the collector:\n" + log).isEqualTo(2);
                assertThat(count(log, "reply 401 call-id=" + callId + " from=" + proxyAt)).as("the 401, from the proxy").isEqualTo(1);
                assertThat(count(log, "reply 200 call-id=" + callId + " from=" + proxyAt)).as("the 200, from the proxy").isEqualTo(1);
                assertThat(count(log, "request OPTIONS call-id=hep-options-1 from=" + phoneAt)).isEqualTo(1);
                assertThat(count(log, "reply 200 call-id=hep-options-1 from=" + proxyAt)).isEqualTo(1);
                assertThat(count(log, "request INVITE call-id=hep-redirect-1 from=127.0.0.1:" + toRedirect.localPort()))
                        .as("the INVITE the redirect server received").isEqualTo(1);
                assertThat(count(log, "reply " + redirectStatus + " call-id=hep-redirect-1 from=" + redirectAt))
                        .as("its answer (" + redirectStatus + ")").isEqualTo(1);
            }
            assertThat(collector.output()).as("the collector decoded every packet").doesNotContain("hep_msg_received(): ERROR");
        }
    }

    private static long count(String log, String line) {
        return Pattern.compile("CAPTURED " + Pattern.quote(line) + "\\R").matcher(log).results().count();
    }
}
