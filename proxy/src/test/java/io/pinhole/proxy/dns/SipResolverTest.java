package io.pinhole.proxy.dns;

import io.pinhole.proxy.sip.Flow;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 3263 §4 against a zone held in a map: which questions are asked, which hops come out. */
class SipResolverTest {

    /** A zone: answers by "name/TYPE"; anything else is NXDOMAIN. Records the questions. */
    private static final class Zone implements Dns {
        final Map<String, DnsAnswer> answers = new HashMap<>();
        final List<String> asked = new ArrayList<>();
        final Set<String> silent = new java.util.HashSet<>();

        Zone add(String name, RecordType type, DnsRecord... records) {
            answers.put(name + "/" + type, new DnsAnswer.Found(List.of(records), 300));
            return this;
        }

        Zone address(String name, String ip) {
            try {
                return add(name, ip.contains(":") ? RecordType.AAAA : RecordType.A,
                        new DnsRecord.Address(InetAddress.getByName(ip)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override
        public synchronized CompletableFuture<DnsAnswer> query(String name, RecordType type) {
            asked.add(name + "/" + type);
            if (silent.contains(name + "/" + type)) {
                return new CompletableFuture<>();
            }
            return CompletableFuture.completedFuture(answers.getOrDefault(name + "/" + type, new DnsAnswer.Missing(30)));
        }
    }

    private final Zone zone = new Zone();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DnsMetrics metrics = new DnsMetrics(registry);

    private Resolution resolve(String host, int port, String transport, boolean secure) {
        return new SipResolver(zone, Set.of("UDP", "TCP"), new Random(7), Duration.ofMillis(300), metrics)
                .resolve(new SipTarget(host, port, transport, secure)).join();
    }

    private static Resolution hops(Flow... flows) {
        return new Resolution.Hops(List.of(flows));
    }

    @Test
    void naptrThenSrvThenAddresses() {
        zone.add("p.example", RecordType.NAPTR,
                        new DnsRecord.Naptr(10, 10, "s", "SIP+D2T", "_sip._tcp.p.example"),
                        new DnsRecord.Naptr(10, 20, "s", "SIP+D2U", "_sip._udp.p.example"))
                .add("_sip._tcp.p.example", RecordType.SRV,
                        new DnsRecord.Srv(20, 0, 5082, "sip2.p.example"),
                        new DnsRecord.Srv(10, 0, 5081, "sip1.p.example"))
                .address("sip1.p.example", "192.0.2.1")
                .address("sip2.p.example", "192.0.2.2")
                .address("sip2.p.example", "2001:db8::2");

        assertThat(resolve("p.example", -1, null, false)).isEqualTo(hops(
                new Flow("192.0.2.1", 5081, "TCP"), new Flow("192.0.2.2", 5082, "TCP"), new Flow("2001:db8:0:0:0:0:0:2", 5082, "TCP")));
        assertThat(zone.asked).doesNotContain("_sip._udp.p.example/SRV");
    }

    @Test
    void naptrWhoseSrvIsEmptyFallsToTheNextNaptr() {
        zone.add("p.example", RecordType.NAPTR,
                        new DnsRecord.Naptr(10, 10, "s", "SIP+D2T", "_sip._tcp.p.example"),
                        new DnsRecord.Naptr(10, 20, "s", "SIP+D2U", "_sip._udp.p.example"))
                .add("_sip._udp.p.example", RecordType.SRV, new DnsRecord.Srv(10, 0, 5090, "sip.p.example"))
                .address("sip.p.example", "192.0.2.9");

        assertThat(resolve("p.example", -1, null, false)).isEqualTo(hops(new Flow("192.0.2.9", 5090, "UDP")));
    }

    @Test
    void withoutNaptrSrvOfEachTransportInOurOrder() {
        zone.add("_sip._tcp.p.example", RecordType.SRV, new DnsRecord.Srv(10, 0, 5070, "sip.p.example"))
                .address("sip.p.example", "192.0.2.3");

        assertThat(resolve("p.example", -1, null, false)).isEqualTo(hops(new Flow("192.0.2.3", 5070, "TCP")));
        assertThat(zone.asked).containsSubsequence("p.example/NAPTR", "_sip._udp.p.example/SRV", "_sip._tcp.p.example/SRV");
    }

    @Test
    void withoutNaptrOrSrvTheAddressOnUdp5060() {
        zone.address("p.example", "192.0.2.4");

        assertThat(resolve("p.example", -1, null, false)).isEqualTo(hops(new Flow("192.0.2.4", 5060, "UDP")));
    }

    @Test
    void transportGivenAsksOnlyItsSrv() {
        zone.add("_sip._tcp.p.example", RecordType.SRV, new DnsRecord.Srv(10, 0, 5070, "sip.p.example"))
                .address("sip.p.example", "192.0.2.3");

        assertThat(resolve("p.example", -1, "tcp", false)).isEqualTo(hops(new Flow("192.0.2.3", 5070, "TCP")));
        assertThat(zone.asked).doesNotContain("p.example/NAPTR", "_sip._udp.p.example/SRV");
    }

    @Test
    void explicitPortSkipsNaptrAndSrv() {
        zone.address("p.example", "192.0.2.5");

        assertThat(resolve("p.example", 5080, null, false)).isEqualTo(hops(new Flow("192.0.2.5", 5080, "UDP")));
        assertThat(zone.asked).containsExactlyInAnyOrder("p.example/A", "p.example/AAAA");
    }

    @Test
    void literalAsksNothing() {
        assertThat(resolve("192.0.2.6", -1, null, false)).isEqualTo(hops(new Flow("192.0.2.6", 5060, "UDP")));
        assertThat(zone.asked).isEmpty();
    }

    @Test
    void unknownNameIsUnresolvedNamingIt() {
        Resolution resolution = resolve("nowhere.p.example", -1, null, false);

        assertThat(resolution).isInstanceOf(Resolution.Unresolved.class);
        Resolution.Unresolved unresolved = (Resolution.Unresolved) resolution;
        assertThat(unresolved.name()).isEqualTo("nowhere.p.example");
        assertThat(unresolved.why()).isEqualTo("no NAPTR, SRV or A/AAAA records for nowhere.p.example");
    }

    @Test
    void resolutionsAreCountedByOutcome() {
        zone.address("sip.p.example", "192.0.2.7");

        resolve("sip.p.example", -1, null, false);
        resolve("nowhere.p.example", -1, null, false);
        resolve("192.0.2.8", -1, null, false);

        assertThat(registry.get("pinhole.dns.resolutions").tag("outcome", "resolved").counter().count()).isEqualTo(2);
        assertThat(registry.get("pinhole.dns.resolutions").tag("outcome", "unresolved").counter().count()).isEqualTo(1);
    }

    @Test
    void srvTargetDotMeansNoService() {
        zone.add("_sip._udp.p.example", RecordType.SRV, new DnsRecord.Srv(0, 0, 0, ""));

        Resolution resolution = resolve("p.example", -1, "udp", false);

        assertThat(resolution).isEqualTo(new Resolution.Unresolved("p.example",
                "DNS SRV _sip._udp.p.example says there is no such service"));
    }

    @Test
    void failureIsReportedOverNoRecords() {
        zone.answers.put("p.example/NAPTR", new DnsAnswer.Failed("DNS query p.example/NAPTR failed: SERVFAIL"));

        Resolution resolution = resolve("p.example", -1, null, false);

        assertThat(((Resolution.Unresolved) resolution).why()).isEqualTo("DNS query p.example/NAPTR failed: SERVFAIL");
    }

    @Test
    void aServerThatNeverAnswersIsBounded() {
        zone.silent.add("p.example/NAPTR");
        long started = System.nanoTime();

        Resolution resolution = resolve("p.example", -1, null, false);

        assertThat(resolution).isEqualTo(new Resolution.Unresolved("p.example",
                "DNS resolution of p.example took longer than 300 ms"));
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void sameHopTwiceIsTriedOnce() {
        zone.add("_sip._udp.p.example", RecordType.SRV,
                        new DnsRecord.Srv(10, 0, 5060, "a.p.example"), new DnsRecord.Srv(20, 0, 5060, "b.p.example"))
                .address("a.p.example", "192.0.2.8").address("b.p.example", "192.0.2.8");

        assertThat(resolve("p.example", -1, "udp", false)).isEqualTo(hops(new Flow("192.0.2.8", 5060, "UDP")));
    }
}
