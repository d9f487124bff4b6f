package io.pinhole.proxy.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the console reads, with a real relay and real SIPp phones: the overview after a call,
 * the call's SIP ladder (both B2BUA legs, from the in-memory capture), the console's files and
 * their security headers, and a capture setting out of range refused at start-up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOMAIN = "ladder.example";
    private static final String PASSWORD = "correct-horse";

    private RelayProcess relay;
    private ProxyInstance proxy;
    private int bobPort;

    @BeforeAll
    void start() {
        relay = RelayProcess.start(42300, 42399);
        proxy = ProxyInstance.start(Map.of("pinhole.media.default-relay", relay.control()));
        proxy.addUser(DOMAIN, "alice", PASSWORD);
        proxy.addUser(DOMAIN, "bob", PASSWORD);
        bobPort = FreePorts.udpAndTcp();
        Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(bobPort).service("bob")
                .credentials("bob", PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(registered.passed()).as(registered.describe()).isTrue();
    }

    @AfterAll
    void stop() {
        proxy.close();
        relay.close();
    }

    @Test
    void showsACallsLadderOnBothLegsAndTheOverviewCountsIt() {
        Sipp.Running bob = Sipp.scenario("call-uas.xml", proxy.sipTarget()).localPort(bobPort).start();
        Sipp.Result alice = Sipp.scenario("call-uac.xml", proxy.sipTarget()).service("alice")
                .credentials("alice", PASSWORD).key("domain", DOMAIN).key("callee", "bob")
                .key("sdp_ip", "192.0.2.10").run();
        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(bob.await().passed()).isTrue();
        eventually(Duration.ofSeconds(5), () -> json(proxy.admin("GET", "/api/cdrs?party=bob", null))
                .get("total").asLong() == 1, "CDR written");
        String callId = json(proxy.admin("GET", "/api/cdrs?party=bob", null)).at("/items/0/callId").asText();

        JsonNode ladder = json(proxy.admin("GET", "/api/calls/" + encode(callId) + "/messages", null));

        assertThat(ladder.get("callId").asText()).isEqualTo(callId);
        assertThat(ladder.get("legs")).hasSize(2);
        assertThat(ladder.get("legs").get(0).asText()).isEqualTo(callId);
        String calleeLeg = ladder.get("legs").get(1).asText();
        List<String> callerSide = new ArrayList<>();
        List<String> calleeSide = new ArrayList<>();
        for (JsonNode m : ladder.get("messages")) {
            String first = m.get("firstLine").asText();
            // "SIP/2.0 407" for a response, the method for a request
            String line = m.get("direction").asText() + " "
                    + (first.startsWith("SIP/2.0 ") ? first.substring(0, 11) : first.substring(0, first.indexOf(' ')));
            (m.get("callId").asText().equals(callId) ? callerSide : calleeSide).add(line);
            assertThat(m.get("text").asText()).startsWith(m.get("firstLine").asText()).contains("Call-ID: ");
            assertThat(m.get("peer").asText()).startsWith("127.0.0.1:");
        }
        // Each direction in order; across directions only as the stack's millisecond clock can tell
        assertThat(callerSide.stream().filter(l -> l.startsWith("in ")))
                .containsExactly("in INVITE", "in ACK", "in INVITE", "in ACK", "in BYE");
        assertThat(callerSide.stream().filter(l -> l.startsWith("out ")))
                .containsSubsequence("out SIP/2.0 407", "out SIP/2.0 200", "out SIP/2.0 200");
        assertThat(calleeSide.stream().filter(l -> l.startsWith("out ")))
                .containsExactly("out INVITE", "out ACK", "out BYE");
        assertThat(calleeSide.stream().filter(l -> l.startsWith("in ")))
                .as("each received response once (the stack reports it twice)")
                .containsExactly("in SIP/2.0 180", "in SIP/2.0 200", "in SIP/2.0 200");
        assertThat(ladderIndex(ladder, callId, "INVITE")).as("the caller's INVITE before the callee's")
                .isLessThan(ladderIndex(ladder, calleeLeg, "INVITE"));
        assertThat(ladder.get("dropped").asInt()).isZero();
        assertThat(json(proxy.admin("GET", "/api/calls/" + encode(calleeLeg) + "/messages", null)))
                .as("found by the callee leg's Call-ID too").isEqualTo(ladder);

        JsonNode overview = json(proxy.admin("GET", "/api/overview", null));
        assertThat(overview.get("activeCalls").asInt()).isZero();
        assertThat(overview.get("endedCalls").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(overview.get("answerSeizureRatio").asDouble()).isEqualTo(1.0);
        assertThat(overview.get("registrations").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(overview.get("relays").get(0).get("name").asText()).isEqualTo("default");
        assertThat(overview.get("relays").get(0).get("status").asText()).isEqualTo("up");
        assertThat(overview.has("callsPerSecond")).isTrue();
        assertThat(overview.get("recentErrors").isArray()).isTrue();
    }

    @Test
    void answersUnknownCallsAndMissingTokens() {
        var unknown = proxy.admin("GET", "/api/calls/no-such-call%40example/messages", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("message").asText()).isEqualTo("captured call no-such-call@example not found");
        assertThat(proxy.adminWithToken("GET", "/api/overview", null, null).statusCode()).isEqualTo(401);
        assertThat(proxy.adminWithToken("GET", "/api/calls/x/messages", null, "wrong-token-wrong-token").statusCode())
                .isEqualTo(401);
    }

    @Test
    void servesTheConsoleWithoutATokenAndWithItsSecurityHeaders() {
        HttpResponse<String> page = proxy.adminWithToken("GET", "/console/", null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Pinhole console</title>").contains("<script src=\"console.js\"")
                .doesNotContain("<script>").doesNotContain("style=");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");

        HttpResponse<String> bare = proxy.adminWithToken("GET", "/console", null, null);
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location").orElse("")).endsWith("/console/");
        HttpResponse<String> script = proxy.adminWithToken("GET", "/console/console.js", null, null);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElse("")).contains("javascript");
        HttpResponse<String> refused = proxy.adminWithToken("GET", "/api/overview", null, null);
        assertThat(refused.headers().firstValue("Content-Security-Policy")).as("on a 401 too").isPresent();
    }

    @Test
    void refusesACaptureSettingOutOfRangeNamingIt() {
        assertThatThrownBy(() -> ProxyInstance.start(Map.of("pinhole.capture.recent-calls", -1)))
                .satisfies(e -> assertThat(rootMessages(e)).contains("pinhole.capture.recent-calls"));
    }

    /** The index in the whole ladder of the first message of {@code leg} starting with {@code start}. */
    private static int ladderIndex(JsonNode ladder, String leg, String start) {
        for (int i = 0; i < ladder.get("messages").size(); i++) {
            JsonNode m = ladder.get("messages").get(i);
            if (m.get("callId").asText().equals(leg) && m.get("firstLine").asText().startsWith(start)) {
                return i;
            }
        }
        return -1;
    }

    private static String rootMessages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    private static String encode(String callId) {
        return URLEncoder.encode(callId, StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(response.body(), e);
        }
    }
}
