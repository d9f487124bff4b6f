package io.pinhole.proxy.call;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RawSip;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Past the admitted rate, new INVITEs are answered 503 with Retry-After; other requests still flow. */
class OverloadIT {

    @Test
    void newCallsPastTheRateGet503RetryAfterWhileOptionsStillAnswered() {
        try (ProxyInstance proxy = ProxyInstance.start(Map.of("pinhole.calls.max-new-per-second", 2,
                "pinhole.calls.retry-after", 7));
             RawSip sip = new RawSip(proxy.sipPort())) {
            proxy.addUser("o.example", "bob", "correct-horse");
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(sip.request(MalformedInviteIT.invite(sip.localPort(), "sip:bob@o.example",
                        "Max-Forwards: 70\r\n", null, null)).orElseThrow());
            }

            assertThat(answers).filteredOn(a -> RawSip.status(a) == 503).isNotEmpty()
                    .allSatisfy(a -> assertThat(RawSip.header(a, "Retry-After")).isEqualTo("7"));
            assertThat(answers.get(0)).startsWith("SIP/2.0 480");
            String options = sip.request("OPTIONS sip:o.example SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + sip.localPort()
                    + ";branch=z9hG4bKo1\r\nFrom: <sip:x@y.example>;tag=1\r\nTo: <sip:o.example>\r\nCall-ID: o1\r\n"
                    + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").orElseThrow();
            assertThat(options).startsWith("SIP/2.0 200");
        }
    }
}
