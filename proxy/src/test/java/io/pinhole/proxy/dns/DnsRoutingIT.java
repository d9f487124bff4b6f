package io.pinhole.proxy.dns;

import io.pinhole.proxy.auth.DigestAlgorithm;
import io.pinhole.proxy.routing.TrunkCredentials;
import io.pinhole.proxy.support.Dnsmasq;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RedirectProcess;
import io.pinhole.proxy.support.TestDatabase;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Calls to other domains named by DNS (RFC 3263) against a real DNS server: dnsmasq serves
 * NAPTR, SRV and A records for the peer domains, whose "proxies" are SIPp UASs (and silent UDP
 * sockets that take INVITEs and never answer). The routes name the domains, never an address.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnsRoutingIT {

    private Dnsmasq dns;
    private ProxyInstance proxy;
    private RedirectProcess redirect;
    private final int peerFirst = FreePorts.udpAndTcp();
    private final int peerSecond = FreePorts.udpAndTcp();
    private final int failoverDead = FreePorts.udpAndTcp();
    private final int failoverLive = FreePorts.udpAndTcp();
    private final int authCarrier = FreePorts.udpAndTcp();
    private final int tcpRefused = FreePorts.udpAndTcp();
    private final int tcpLive = FreePorts.udpAndTcp();
    private SilentPeer peerSecondSilent;
    private SilentPeer dead;

    @BeforeAll
    void start() throws IOException {
        String missing = Dnsmasq.missingPrerequisite();
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("the DNS routing test cannot run in CI: " + missing);
            }
            Assumptions.abort("DNS routing test skipped: " + missing);
        }
        dns = Dnsmasq.start(List.of("carrier.test", "failover.test", "authcarrier.test", "tcp.test"), List.of(
                "--naptr-record=tcp.test,10,10,S,SIP+D2T,,_sip._tcp.tcp.test",
                "--srv-host=_sip._tcp.tcp.test,refused.tcp.test," + tcpRefused + ",10,10",
                "--srv-host=_sip._tcp.tcp.test,live.tcp.test," + tcpLive + ",20,10",
                "--host-record=refused.tcp.test,127.0.0.1",
                "--host-record=live.tcp.test,127.0.0.1",
                "--host-record=redirect.carrier.test,127.0.0.1",
                // no NAPTR here: SRV for each transport is asked instead (RFC 3263 §4.1)
                "--srv-host=_sip._udp.authcarrier.test,sip.authcarrier.test," + authCarrier + ",10,10",
                "--host-record=sip.authcarrier.test,127.0.0.1",
                "--naptr-record=carrier.test,10,10,S,SIP+D2U,,_sip._udp.carrier.test",
                "--srv-host=_sip._udp.carrier.test,sip1.carrier.test," + peerFirst + ",10,10",
                "--srv-host=_sip._udp.carrier.test,sip2.carrier.test," + peerSecond + ",20,10",
                "--host-record=sip1.carrier.test,127.0.0.1",
                "--host-record=sip2.carrier.test,127.0.0.1",
                "--naptr-record=failover.test,10,10,S,SIP+D2U,,_sip._udp.failover.test",
                "--srv-host=_sip._udp.failover.test,dead.failover.test," + failoverDead + ",10,10",
                "--srv-host=_sip._udp.failover.test,live.failover.test," + failoverLive + ",20,10",
                "--host-record=dead.failover.test,127.0.0.1",
                "--host-record=live.failover.test,127.0.0.1"));
        peerSecondSilent = new SilentPeer(peerSecond);
        dead = new SilentPeer(failoverDead);
        int redirectPort = FreePorts.udpAndTcp();
        String database = TestDatabase.freshDatabaseUrl();
        proxy = ProxyInstance.start(Map.of("spring.datasource.url", database,
                "pinhole.media.policy", "never",
                "pinhole.keepalive.enabled", "false",
                "pinhole.probe.enabled", "false",
                // the redirect server by name too: A/AAAA only, since the port is given
                "pinhole.routing.redirect-servers", "redirect.carrier.test:" + redirectPort,
                "pinhole.dns.servers", dns.address(),
                "pinhole.dns.failover-timeout", "1s"));
        proxy.addUser("a.example", "alice", "correct-horse");
        JdbcTemplate jdbc = proxy.bean(JdbcTemplate.class);
        // Routes name domains only: where their servers are is DNS's business.
        jdbc.update("INSERT INTO routes (match_prefix, target_uri, kind) VALUES ('+49', 'sip:carrier.test', 'trunk')");
        jdbc.update("INSERT INTO routes (match_prefix, target_uri, kind) VALUES ('+33', 'sip:failover.test', 'trunk')");
        jdbc.update("INSERT INTO routes (match_prefix, target_uri, kind) VALUES ('+39', 'sip:tcp.test', 'trunk')");
        jdbc.update("INSERT INTO routes (match_domain, target_uri) VALUES ('gone.test', 'sip:nowhere.carrier.test')");
        jdbc.update("""
                INSERT INTO routes (match_prefix, target_uri, kind, auth_username, auth_realm, auth_ha1_md5)
                VALUES ('+44', 'sip:authcarrier.test', 'trunk', 'pinhole', 'carrier.example', ?)""",
                DigestAlgorithm.MD5.ha1("pinhole", "carrier.example", "trunk-secret"));
        proxy.bean(TrunkCredentials.class).reload();
        redirect = RedirectProcess.start(database, redirectPort);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {redirect, proxy, peerSecondSilent, dead, dns}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
    }

    private Sipp.Result call(String callee, String domain, String scenario) {
        return Sipp.scenario(scenario, proxy.sipTarget()).service("alice").credentials("alice", "correct-horse")
                .key("domain", "a.example").key("callee", callee).key("callee_domain", domain)
                .key("sdp_ip", "192.0.2.10").run();
    }

    @Test
    void numberReachesTheCarrierThroughNaptrAndSrv() {
        Sipp.Running peer = Sipp.scenario("call-uas.xml", proxy.sipTarget()).localPort(peerFirst).start();

        Sipp.Result alice = call("+4930123456", "a.example", "call-uac-interdomain.xml");
        Sipp.Result peerResult = peer.await();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(peerResult.passed()).as(peerResult.describe()).isTrue();
        assertThat(peerResult.messages()).contains("INVITE sip:+4930123456@carrier.test SIP/2.0");
        assertThat(peerSecondSilent.invites()).as("priority 20 is not tried while priority 10 answers").isZero();
        assertThat(dns.log()).contains("query[NAPTR] carrier.test", "query[SRV] _sip._udp.carrier.test",
                "query[A] sip1.carrier.test", "query[A] redirect.carrier.test")
                .doesNotContain("query[NAPTR] redirect.carrier.test");
    }

    @Test
    void deadFirstTargetFailsOverToTheSecondAndIsThenAvoided() {
        Sipp.Running peer = Sipp.scenario("call-uas.xml", proxy.sipTarget()).localPort(failoverLive).arg("-m", "2").start();

        long started = System.nanoTime();
        Sipp.Result first = call("+33123456789", "a.example", "call-uac-interdomain.xml");
        long firstMillis = (System.nanoTime() - started) / 1_000_000;
        int invitesToDead = dead.invites();
        Sipp.Result second = call("+33123456789", "a.example", "call-uac-interdomain.xml");
        Sipp.Result peerResult = peer.await();

        assertThat(first.passed()).as(first.describe()).isTrue();
        assertThat(second.passed()).as(second.describe()).isTrue();
        assertThat(peerResult.passed()).as(peerResult.describe()).isTrue();
        assertThat(invitesToDead).as("the first call tried the priority-10 target").isPositive();
        assertThat(dead.invites()).as("the second call skipped the target that just failed").isEqualTo(invitesToDead);
        assertThat(firstMillis).as("failover after pinhole.dns.failover-timeout, not Timer B's 32 s").isLessThan(15_000);
        assertThat(dns.log().split("query\\[NAPTR\\] failover.test ", -1))
                .as("one NAPTR query for two calls: the second call's look-ups came from the cache (TTL 60 s)").hasSize(2);
        assertThat(metric("pinhole_dns_queries_total{outcome=\"cached\",type=\"NAPTR\"}"))
                .as("the operator sees the cache answering").isPositive();
        assertThat(metric("pinhole_dns_avoided_hops")).as("the dead hop is shown as avoided").isGreaterThanOrEqualTo(1);
    }

    @Test
    void refusedTcpConnectionMovesOnToTheNextTarget() {
        Sipp.Running peer = Sipp.scenario("call-uas.xml", proxy.sipTarget()).localPort(tcpLive).arg("-t", "t1").start();

        Sipp.Result alice = call("+390612345678", "a.example", "call-uac-interdomain.xml");
        Sipp.Result peerResult = peer.await();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(peerResult.passed()).as(peerResult.describe()).isTrue();
        assertThat(peerResult.messages()).contains("INVITE sip:+390612345678@tcp.test SIP/2.0", "SIP/2.0/TCP");
        assertThat(dns.log()).contains("query[SRV] _sip._tcp.tcp.test");
    }

    @Test
    void carrierNamedBySrvOnlyGetsItsCredentialsByName() {
        Sipp.Running carrier = Sipp.scenario("carrier-uas.xml", proxy.sipTarget()).localPort(authCarrier)
                .key("trunk_user", "pinhole").key("trunk_password", "trunk-secret").start();

        Sipp.Result alice = call("+442071234567", "a.example", "call-uac-interdomain.xml");
        Sipp.Result carrierResult = carrier.await();

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(carrierResult.passed()).as(carrierResult.describe()).isTrue();
        assertThat(carrierResult.messages()).contains("INVITE sip:+442071234567@authcarrier.test SIP/2.0")
                .contains("Authorization: Digest username=\"pinhole\"");
        assertThat(dns.log()).contains("query[NAPTR] authcarrier.test", "query[SRV] _sip._udp.authcarrier.test");
    }

    @Test
    void unresolvableNameFailsWith503NamingIt() {
        Sipp.Result alice = call("dave", "gone.test", "call-uac-503-elsewhere.xml");

        assertThat(alice.passed()).as(alice.describe()).isTrue();
        assertThat(alice.messages()).contains("SIP/2.0 503 DNS failure for nowhere.carrier.test");
        assertThat(dns.log()).contains("query[NAPTR] nowhere.carrier.test");
        assertThat(metric("pinhole_dns_resolutions_total{outcome=\"unresolved\"}")).isPositive();
        assertThat(metric("pinhole_dns_query_seconds_count{type=\"NAPTR\"}")).as("queries sent to dnsmasq are timed")
                .isPositive();
    }

    /** One sample of the proxy's Prometheus scrape, as an operator's dashboard reads it (0 when absent). */
    private double metric(String series) {
        for (String line : proxy.admin("GET", "/actuator/prometheus", null).body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /** A UDP port that takes datagrams and never answers: a SIP server that is down without telling. */
    private static final class SilentPeer implements AutoCloseable {
        private final DatagramSocket socket;
        private final AtomicInteger invites = new AtomicInteger();
        private final Thread reader;

        SilentPeer(int port) throws SocketException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.setSoTimeout(200);
            reader = new Thread(this::read, "silent-" + port);
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            byte[] buffer = new byte[65535];
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                    if (new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8).startsWith("INVITE ")) {
                        invites.incrementAndGet();
                    }
                } catch (SocketTimeoutException idle) {
                    // look at isClosed again
                } catch (IOException closed) {
                    return;
                }
            }
        }

        int invites() {
            return invites.get();
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
