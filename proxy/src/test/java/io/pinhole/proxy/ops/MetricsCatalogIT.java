package io.pinhole.proxy.ops;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RawRegister;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.RawSip;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules and the Grafana dashboard name only metrics that a live proxy and relay export,
 * under the names Micrometer's Prometheus registry gives them ({@code _total} on counters,
 * {@code _seconds_count} on timers, no {@code _created} suffix). Some counters appear only once
 * counted, so a relayed call, a registration and a wrong password go through first.
 */
class MetricsCatalogIT {

    private static final String DOMAIN = "metrics.example";
    private static final String PASSWORD = "correct-horse";

    @Test
    void everyMetricInTheRulesAndTheDashboardIsExported() throws Exception {
        Set<String> used = OpsFiles.metricNames();
        assertThat(used).as("names found in ops/").hasSizeGreaterThan(20);

        int relayHttp = FreePorts.udpAndTcp();
        try (RelayProcess relay = RelayProcess.start(45000, 45999, "127.0.0.1", Map.of("server.port", relayHttp));
             ProxyInstance proxy = ProxyInstance.start(Map.of("pinhole.media.default-relay", relay.control(),
                     "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false,
                     "pinhole.media.relay-metrics-interval", "500ms"))) {
            traffic(proxy);
            eventually(Duration.ofSeconds(10), () -> exported(proxy.admin("GET", "/actuator/prometheus", null).body())
                    .containsAll(Set.of("pinhole_media_paths_total", "pinhole_auth_failures_total")), "call counted");

            Set<String> exported = new TreeSet<>(exported(proxy.admin("GET", "/actuator/prometheus", null).body()));
            exported.addAll(exported(scrape("http://127.0.0.1:" + relayHttp + "/actuator/prometheus")));

            assertThat(exported).as("exported by proxy and relay").containsAll(used);

            // A phone whose REGISTER went unanswered sends it again, same branch: one retransmission
            // in, and the proxy's 401 to it one out.
            try (RawSip phone = new RawSip(proxy.sipPort())) {
                String register = new RawRegister("alice", DOMAIN, phone.localPort()).request("");
                assertThat(phone.request(register)).hasValueSatisfying(r -> assertThat(RawSip.status(r)).isEqualTo(401));
                assertThat(phone.request(register)).hasValueSatisfying(r -> assertThat(RawSip.status(r)).isEqualTo(401));
            }
            eventually(Duration.ofSeconds(5), () -> sample(proxy, "pinhole_sip_retransmissions_total{direction=\"in\"}") >= 1
                    && sample(proxy, "pinhole_sip_retransmissions_total{direction=\"out\"}") >= 1, "retransmissions counted");

            // The proxy's view of its relay: up while it answers pings, down once it is gone.
            eventually(Duration.ofSeconds(5), () -> sample(proxy, "pinhole_relay_pool_up{relay=\"default\"}") == 1,
                    "default relay up");
            relay.close();
            eventually(Duration.ofSeconds(10), () -> sample(proxy, "pinhole_relay_pool_up{relay=\"default\"}") == 0,
                    "default relay down once it stops answering");
        }
    }

    /** The value of one sample line (name with labels as exported), or -1 when absent. */
    private static double sample(ProxyInstance proxy, String nameAndLabels) {
        for (String line : proxy.admin("GET", "/actuator/prometheus", null).body().split("\n")) {
            String sample = line.replace(",}", "}"); // older Prometheus clients end the labels with a comma
            if (sample.startsWith(nameAndLabels + " ")) {
                return Double.parseDouble(sample.substring(nameAndLabels.length() + 1).trim());
            }
        }
        return -1;
    }

    /** A relayed call (caller behind NAT by its SDP), a registration, and one wrong password. */
    private static void traffic(ProxyInstance proxy) {
        proxy.addUser(DOMAIN, "bob", PASSWORD);
        proxy.addUser(DOMAIN, "alice", PASSWORD);
        int bobPort = FreePorts.udpAndTcp();
        Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(bobPort).service("bob")
                .credentials("bob", PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(registered.passed()).as(registered.describe()).isTrue();
        Sipp.Running bob = Sipp.scenario("call-uas.xml", proxy.sipTarget()).localPort(bobPort).start();
        Sipp.Result alice = Sipp.scenario("call-uac.xml", proxy.sipTarget()).service("alice")
                .credentials("alice", PASSWORD).key("domain", DOMAIN).key("callee", "bob")
                .key("sdp_ip", "10.77.0.2").run();
        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(bob.await().passed()).isTrue();
        Sipp.Result wrong = Sipp.scenario("register-wrong-password.xml", proxy.sipTarget()).service("alice")
                .credentials("alice", "not-the-password").key("domain", DOMAIN).key("expires", 600).run();
        assertThat(wrong.passed()).as(wrong.describe()).isTrue();
    }

    /** Sample names of a Prometheus text exposition (labels and values cut off, comments skipped). */
    static Set<String> exported(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    private static String scrape(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }
}
