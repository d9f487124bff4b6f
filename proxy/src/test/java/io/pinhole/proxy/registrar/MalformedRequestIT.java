package io.pinhole.proxy.registrar;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RawRegister;
import io.pinhole.testsupport.RawSip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static io.pinhole.testsupport.RawSip.status;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets a 4xx or is dropped; the proxy answers the next request either way. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestIT {

    private static final String DOMAIN = "m.example";
    private ProxyInstance proxy;
    private RawSip sip;

    @BeforeAll
    void start() {
        proxy = ProxyInstance.start(Map.of());
        proxy.addUser(DOMAIN, "alice", "correct-horse");
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @AfterEach
    void proxyStillAnswers() {
        try (RawSip probe = new RawSip(proxy.sipPort())) {
            String options = "OPTIONS sip:" + DOMAIN + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + probe.localPort() + ";branch=z9hG4bKprobe" + System.nanoTime() + "\r\n"
                    + "From: <sip:probe@" + DOMAIN + ">;tag=p1\r\nTo: <sip:" + DOMAIN + ">\r\n"
                    + "Call-ID: probe-" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                    + "Content-Length: 0\r\n\r\n";
            Optional<String> answer = probe.request(options);
            assertThat(answer).as("proxy answers OPTIONS after the bad input").isPresent();
            assertThat(status(answer.get())).isEqualTo(200);
        }
        if (sip != null) {
            sip.close();
            sip = null;
        }
    }

    private static String paddedRegister(RawSip s, int paddingBytes) {
        return new RawRegister("alice", DOMAIN, s.localPort()).request("X-Padding: " + "a".repeat(paddingBytes) + "\r\n");
    }

    private RawSip sip() {
        sip = new RawSip(proxy.sipPort());
        return sip;
    }

    @Test
    void missingCallIdIsDroppedOrRejected() {
        RawSip s = sip();
        String request = new RawRegister("alice", DOMAIN, s.localPort()).request("").replaceFirst("Call-ID: [^\r]*\r\n", "");

        Optional<String> answer = s.request(request);

        answer.ifPresent(a -> assertThat(status(a)).isBetween(400, 499));
    }

    @Test
    void badContactUriGets400() {
        RawSip s = sip();
        RawRegister reg = new RawRegister("alice", DOMAIN, s.localPort());

        String answer = s.request(reg.request("Contact: <sip:alice@@[::1:bad>;;;\r\n")).orElseThrow();

        assertThat(status(answer)).isEqualTo(400);
        assertThat(answer).startsWith("SIP/2.0 400 Malformed Contact header");
    }

    @Test
    void badExpiresGets400() {
        RawSip s = sip();
        RawRegister reg = new RawRegister("alice", DOMAIN, s.localPort());

        String answer = s.request(reg.request(reg.contact() + "Expires: soon\r\n")).orElseThrow();

        assertThat(answer).startsWith("SIP/2.0 400 Malformed Expires header");
    }

    @Test
    void nonSipToUriGets400() {
        RawSip s = sip();
        String request = new RawRegister("alice", DOMAIN, s.localPort()).request("")
                .replaceFirst("To: [^\r]*", "To: <tel:+15551234567>");

        String answer = s.request(request).orElseThrow();

        assertThat(status(answer)).isEqualTo(400);
    }

    @Test
    void aRequestUriWithThousandsOfParametersGets400AtOnce() {
        // SipParserFuzzTest's find: the RI's URI parser is quadratic in the number of ';'
        RawSip s = sip();
        String request = new RawRegister("alice", DOMAIN, s.localPort()).request("")
                .replace("REGISTER sip:" + DOMAIN, "REGISTER sip:" + DOMAIN + ";".repeat(12_000));

        long started = System.nanoTime();
        String answer = s.request(request).orElseThrow();

        assertThat(answer).startsWith("SIP/2.0 400 Bad Request (start line has more than 256 parameters)");
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms to the answer").isLessThan(500);
    }

    @Test
    void garbageBytesAreDropped() {
        RawSip s = sip();
        byte[] garbage = new byte[700];
        new Random(42).nextBytes(garbage);

        s.send(garbage);
        s.send("NOT SIP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(s.receive()).isEmpty();
    }

    @Test
    void datagramLargerThanMaxMessageBytesIsDropped() {
        RawSip s = sip();

        s.send(paddedRegister(s, 60_000));

        assertThat(s.receive()).as("no answer to a 60 KB datagram (limit 16 KiB)").isEmpty();
    }

    @Test
    void largeMessageUnderTheLimitIsServed() {
        RawSip s = sip();

        s.send(paddedRegister(s, 12_000));

        assertThat(s.receive()).as("a 12 KB REGISTER is answered").hasValueSatisfying(a -> assertThat(status(a)).isEqualTo(401));
    }

    @Test
    void unknownMethodGets405WithAllow() {
        RawSip s = sip();
        String request = new RawRegister("alice", DOMAIN, s.localPort()).request("")
                .replace("REGISTER sip:", "FROB sip:").replace(" REGISTER\r\n", " FROB\r\n");

        String answer = s.request(request).orElseThrow();

        assertThat(status(answer)).isEqualTo(405);
        assertThat(RawSip.header(answer, "Allow")).contains("REGISTER", "OPTIONS");
    }
}
