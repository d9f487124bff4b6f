package io.pinhole.proxy.call;

import io.pinhole.proxy.relay.ScriptedNgRelay;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * More calls offered than the relay can serve (a relay starved of CPU, as on 2 cores at 1,300
 * authenticated calls/s, where the SIP workers' own queue stayed short): the proxy answers the
 * surplus 503 + Retry-After at once, every call it admits connects, and calls established before
 * end normally. Before, it admitted every call, the relay's queue grew past the ng timeout, and
 * admitted calls failed with "503 Media relay unavailable" after waiting seconds for it.
 */
class OverloadSippIT {

    private static final String DOMAIN = "load.example";
    /** Each ng command takes this long, one at a time: some 12 calls/s (offer, answer, query, delete). */
    private static final int SERVICE_MILLIS = 20;

    @Test
    void pastWhatTheRelayServesNewCallsGet503WhileAdmittedAndEstablishedCallsComplete() throws Exception {
        try (SlowNgRelay relay = new SlowNgRelay(SERVICE_MILLIS);
             ProxyInstance proxy = ProxyInstance.start(Map.of(
                     "pinhole.media.default-relay", "127.0.0.1:" + relay.port(),
                     "pinhole.media.policy", "always",
                     "pinhole.calls.retry-after", 7,
                     // one account places every call, from one address: its own caps are not what is tested
                     "pinhole.flood.max-concurrent-calls-per-account", 100000,
                     "pinhole.flood.max-calls-per-minute-per-account", 100000,
                     "pinhole.flood.max-requests-per-source", 1000000))) {
            proxy.addUser(DOMAIN, "alice", "correct-horse");
            proxy.addUser(DOMAIN, "bob", "correct-horse");
            int bobPort = FreePorts.udpAndTcp();
            assertThat(Sipp.scenario("register.xml", proxy.sipTarget()).localPort(bobPort).service("bob")
                    .credentials("bob", "correct-horse").key("domain", DOMAIN).key("expires", 600).run().passed()).isTrue();
            Sipp.Running bob = Sipp.scenario("call-uas.xml", proxy.sipTarget()).localPort(bobPort)
                    .arg("-m", "100000").start();
            try {
                // three calls up before the overload; their BYEs come in the middle of it
                Sipp.Running established = caller(proxy, "call-uac-long.xml", 3, 5, 9000);
                Thread.sleep(2000);
                Sipp.Running flood = caller(proxy, "call-uac-overload.xml", 400, 40, 1000);

                Sipp.Result floodResult = flood.await();
                Sipp.Result establishedResult = established.await();

                assertThat(establishedResult.passed()).as("calls established before the overload ended normally\n"
                        + establishedResult.describe()).isTrue();
                assertThat(floodResult.passed()).as("every call answered 200 or refused with 503, none failed\n"
                        + floodResult.describe()).isTrue();
                String messages = floodResult.messages();
                List<String> refusals = received(messages, "SIP/2.0 503 ");
                long connected = received(messages, "SIP/2.0 200 ").stream().filter(r -> r.contains(" INVITE")).count();
                System.out.printf("overload: %d calls offered, %d refused 503, %d connected%n", 400, refusals.size(), connected);
                assertThat(refusals).as("the surplus refused").isNotEmpty()
                        .allSatisfy(r -> assertThat(r).contains("Retry-After: 7").contains("SIP/2.0 503 Service Unavailable"));
                assertThat(connected).as("admitted calls connected").isGreaterThan(10);
                assertThat(messages).as("no admitted call failed on a relay too late to answer")
                        .doesNotContain("Media relay unavailable").doesNotContain("No media relay available");
            } finally {
                bob.kill();
            }
        }
    }

    private static Sipp.Running caller(ProxyInstance proxy, String scenario, int calls, int rate, int holdMillis) {
        return Sipp.scenario(scenario, proxy.sipTarget()).service("alice").credentials("alice", "correct-horse")
                .key("domain", DOMAIN).key("callee", "bob").key("sdp_ip", "127.0.0.1")
                .arg("-m", String.valueOf(calls), "-r", String.valueOf(rate), "-l", String.valueOf(calls),
                        "-d", String.valueOf(holdMillis)).start();
    }

    /** The responses SIPp received whose start line begins with {@code statusLine}. */
    private static List<String> received(String messages, String statusLine) {
        Matcher m = Pattern.compile("received \\[\\d+\\] bytes :\\s+(" + Pattern.quote(statusLine) + ".*?)(?=\\n-{5,}|\\z)",
                Pattern.DOTALL).matcher(messages);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /**
     * An ng relay that takes {@code serviceMillis} over each command, one at a time, as a relay
     * starved of CPU does; what it cannot take yet waits in its socket. It answers offers and
     * answers with the SDP it was given (no media flows in this test), lists the calls it holds.
     */
    static final class SlowNgRelay implements AutoCloseable {
        private final ScriptedNgRelay peer;
        private final Set<String> calls = ConcurrentHashMap.newKeySet();

        SlowNgRelay(int serviceMillis) throws IOException {
            peer = new ScriptedNgRelay("slow-ng-relay", serviceMillis, (cookie, command) -> reply(command));
        }

        int port() {
            return peer.port();
        }

        private Map<String, Object> reply(Map<String, Object> command) {
            Map<String, Object> reply = new LinkedHashMap<>();
            String callId = String.valueOf(command.get("call-id"));
            switch (String.valueOf(command.get("command"))) {
                case "ping" -> reply.put("result", "pong");
                case "offer", "answer" -> {
                    calls.add(callId);
                    reply.put("result", "ok");
                    reply.put("sdp", command.get("sdp"));
                }
                case "delete" -> {
                    calls.remove(callId);
                    reply.put("result", "ok");
                }
                case "list" -> {
                    reply.put("result", "ok");
                    reply.put("calls", List.copyOf(calls));
                }
                default -> reply.put("result", "ok");
            }
            return reply;
        }

        @Override
        public void close() {
            peer.close();
        }
    }
}
