package io.pinhole.proxy.call;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RtpengineProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The proxy with a real rtpengine as its relay: same protocol, same calls. */
class RtpengineRelayIT {

    private static final String DOMAIN = "rtpe.example";
    private static final String PASSWORD = "correct-horse";

    @Test
    void callAndHoldThroughRtpengine() {
        try (RtpengineProcess rtpengine = RtpengineProcess.start(45000, 45999);
             ProxyInstance proxy = ProxyInstance.start(Map.of("pinhole.media.default-relay", rtpengine.control()))) {
            proxy.addUser(DOMAIN, "alice", PASSWORD);
            proxy.addUser(DOMAIN, "bob", PASSWORD);
            int port = FreePorts.udpAndTcp();
            assertThat(Sipp.scenario("register.xml", proxy.sipTarget()).localPort(port).service("bob")
                    .credentials("bob", PASSWORD).key("domain", DOMAIN).key("expires", 600).run().passed()).isTrue();
            Sipp.Running bob = Sipp.scenario("call-uas-hold.xml", proxy.sipTarget()).localPort(port).start();

            Sipp.Result alice = Sipp.scenario("call-uac-hold.xml", proxy.sipTarget()).service("alice")
                    .credentials("alice", PASSWORD).key("domain", DOMAIN).key("callee", "bob")
                    .key("sdp_ip", "10.77.0.2").run();
            Sipp.Result bobResult = bob.await();

            assertThat(alice.passed()).as(alice.describe()).isTrue();
            assertThat(bobResult.passed()).as(bobResult.describe()).isTrue();
            List<Integer> offered = CallSippIT.mediaPorts(bobResult.messages(), "INVITE sip:");
            assertThat(offered).hasSize(3).allMatch(p -> p >= 45000 && p <= 45999);
            assertThat(offered).allMatch(p -> p.equals(offered.get(0)));
            assertThat(CallSippIT.body(bobResult.messages(), "INVITE sip:")).doesNotContain("10.77.0.2");
            eventually(Duration.ofSeconds(5), () -> {
                Object calls = rtpengine.command(Map.of("command", "list")).get("calls");
                return calls instanceof List<?> list && list.isEmpty();
            }, "rtpengine has no call left after BYE");
        }
    }
}
