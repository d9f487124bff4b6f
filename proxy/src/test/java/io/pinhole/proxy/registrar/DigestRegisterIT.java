package io.pinhole.proxy.registrar;

import io.pinhole.proxy.auth.DigestAlgorithm;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RawRegister;
import io.pinhole.testsupport.RawSip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static io.pinhole.testsupport.RawSip.header;
import static io.pinhole.testsupport.RawSip.headers;
import static io.pinhole.testsupport.RawSip.status;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 3261 / RFC 8760 digest details that SIPp cannot exercise: SHA-256, stale nonces, replays. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DigestRegisterIT {

    private static final String DOMAIN = "d.example";
    private static final String PASSWORD = "correct-horse";
    private ProxyInstance proxy;

    @BeforeAll
    void start() {
        proxy = ProxyInstance.start(Map.of("pinhole.auth.nonce-ttl", "1s"));
        proxy.addUser(DOMAIN, "sha", PASSWORD);
        proxy.addUser(DOMAIN, "md5", PASSWORD);
        proxy.addUser(DOMAIN, "replay", PASSWORD);
        proxy.addUser(DOMAIN, "stale", PASSWORD);
        proxy.addUser(DOMAIN, "again", PASSWORD);
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    private String nonceFrom(String challenge, String algorithm) {
        return headers(challenge, "WWW-Authenticate").stream()
                .map(RawRegister::challengeParams)
                .filter(p -> algorithm.equals(p.get("algorithm")))
                .findFirst().orElseThrow().get("nonce");
    }

    @Test
    void challengeOffersMd5AndSha256WithQopAuth() {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            RawRegister reg = new RawRegister("sha", DOMAIN, sip.localPort());
            String challenge = sip.request(reg.request(reg.contact())).orElseThrow();

            assertThat(status(challenge)).isEqualTo(401);
            List<Map<String, String>> offers = headers(challenge, "WWW-Authenticate").stream()
                    .map(RawRegister::challengeParams).toList();
            assertThat(offers).extracting(p -> p.get("algorithm")).containsExactly("MD5", "SHA-256");
            assertThat(offers).allSatisfy(p -> {
                assertThat(p.get("qop")).isEqualTo("auth");
                assertThat(p.get("realm")).isEqualTo(DOMAIN);
            });
        }
    }

    @Test
    void userAgentsThatGiveUpOnSha256GetMd5Alone() {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            RawRegister reg = new RawRegister("md5", DOMAIN, sip.localPort());
            String challenge = sip.request(reg.request(reg.contact()
                    + "User-Agent: baresip v1.0.0 (x86_64/linux)\r\n")).orElseThrow();

            assertThat(headers(challenge, "WWW-Authenticate")).singleElement()
                    .satisfies(h -> assertThat(RawRegister.challengeParams(h).get("algorithm")).isEqualTo("MD5"));
        }
    }

    @Test
    void sha256AnswerRegisters() {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            RawRegister reg = new RawRegister("sha", DOMAIN, sip.localPort());
            String nonce = nonceFrom(sip.request(reg.request(reg.contact())).orElseThrow(), "SHA-256");

            String ok = sip.request(reg.request(reg.contact()
                    + reg.authorization(DigestAlgorithm.SHA_256, PASSWORD, nonce, "00000001"))).orElseThrow();

            assertThat(status(ok)).as(ok).isEqualTo(200);
            assertThat(header(ok, "Contact")).contains("sip:sha@127.0.0.1:" + sip.localPort(), "expires=");
        }
    }

    @Test
    void md5AnswerRegisters() {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            RawRegister reg = new RawRegister("md5", DOMAIN, sip.localPort());
            String nonce = nonceFrom(sip.request(reg.request(reg.contact())).orElseThrow(), "MD5");

            String ok = sip.request(reg.request(reg.contact()
                    + reg.authorization(DigestAlgorithm.MD5, PASSWORD, nonce, "00000001"))).orElseThrow();

            assertThat(status(ok)).as(ok).isEqualTo(200);
        }
    }

    @Test
    void replayedNonceCountIsChallengedAgain() {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            RawRegister reg = new RawRegister("replay", DOMAIN, sip.localPort());
            String nonce = nonceFrom(sip.request(reg.request(reg.contact())).orElseThrow(), "MD5");
            String auth = reg.authorization(DigestAlgorithm.MD5, PASSWORD, nonce, "00000001");
            assertThat(status(sip.request(reg.request(reg.contact() + auth)).orElseThrow())).isEqualTo(200);

            String replay = sip.request(reg.request(reg.contact() + auth)).orElseThrow();
            String next = sip.request(reg.request(reg.contact()
                    + reg.authorization(DigestAlgorithm.MD5, PASSWORD, nonce, "00000002"))).orElseThrow();

            assertThat(status(replay)).isEqualTo(401);
            assertThat(status(next)).as("a higher nonce count on the same nonce is fine").isEqualTo(200);
        }
    }

    @Test
    void aRetransmittedRegisterIsAnsweredByItsTransactionAgain() {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            RawRegister reg = new RawRegister("again", DOMAIN, sip.localPort());
            String nonce = nonceFrom(sip.request(reg.request(reg.contact())).orElseThrow(), "MD5");
            String register = reg.request(reg.contact()
                    + reg.authorization(DigestAlgorithm.MD5, PASSWORD, nonce, "00000001"));

            String first = sip.request(register).orElseThrow();
            String retransmitted = sip.request(register).orElseThrow();

            assertThat(status(first)).as(first).isEqualTo(200);
            // handled again, it would meet its own nonce count and be challenged as a replay
            assertThat(retransmitted).as("the transaction's 200, sent again").isEqualTo(first);
        }
    }

    @Test
    void expiredNonceIsAnsweredStale() throws InterruptedException {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            RawRegister reg = new RawRegister("stale", DOMAIN, sip.localPort());
            String nonce = nonceFrom(sip.request(reg.request(reg.contact())).orElseThrow(), "MD5");
            Thread.sleep(1300);

            String stale = sip.request(reg.request(reg.contact()
                    + reg.authorization(DigestAlgorithm.MD5, PASSWORD, nonce, "00000001"))).orElseThrow();

            assertThat(status(stale)).isEqualTo(401);
            assertThat(headers(stale, "WWW-Authenticate")).allSatisfy(h ->
                    assertThat(RawRegister.challengeParams(h).get("stale")).isEqualToIgnoringCase("true"));
        }
    }

    @Test
    void forgedNonceIsChallengedNotStale() {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            RawRegister reg = new RawRegister("sha", DOMAIN, sip.localPort());

            String response = sip.request(reg.request(reg.contact()
                    + reg.authorization(DigestAlgorithm.MD5, PASSWORD, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "00000001")))
                    .orElseThrow();

            assertThat(status(response)).isEqualTo(401);
            assertThat(headers(response, "WWW-Authenticate")).noneMatch(h -> h.toLowerCase().contains("stale=true"));
        }
    }
}
