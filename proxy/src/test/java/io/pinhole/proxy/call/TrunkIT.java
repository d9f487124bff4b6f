package io.pinhole.proxy.call;

import io.pinhole.proxy.auth.DigestAlgorithm;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RedirectProcess;
import io.pinhole.proxy.support.TestDatabase;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dialled number routed to a carrier trunk: the redirect server normalises it (00 → +), the
 * proxy forwards the call to the SIPp "carrier" and answers its digest challenge with the
 * trunk's stored HA1.
 */
class TrunkIT {

    @Test
    void numberReachesTheCarrierNormalisedAndAuthenticated() {
        String database = TestDatabase.freshDatabaseUrl();
        int carrierPort = FreePorts.udpAndTcp();
        int redirectPort = FreePorts.udpAndTcp();
        try (ProxyInstance proxy = ProxyInstance.start(Map.of("spring.datasource.url", database,
                "pinhole.media.policy", "never",
                "pinhole.routing.redirect-servers", "127.0.0.1:" + redirectPort));
             RedirectProcess redirect = RedirectProcess.start(database, redirectPort)) {
            proxy.addUser("t.example", "alice", "correct-horse");
            proxy.bean(org.springframework.jdbc.core.JdbcTemplate.class).update("""
                            INSERT INTO routes (match_prefix, target_uri, kind, intl_prefix, number_format,
                                                auth_username, auth_realm, auth_ha1_md5)
                            VALUES ('+49', ?, 'trunk', '00', 'e164', 'pinhole', 'carrier.example', ?)""",
                    "sip:127.0.0.1:" + carrierPort, DigestAlgorithm.MD5.ha1("pinhole", "carrier.example", "trunk-secret"));
            proxy.bean(io.pinhole.proxy.routing.TrunkCredentials.class).reload();
            Sipp.Running carrier = Sipp.scenario("carrier-uas.xml", proxy.sipTarget()).localPort(carrierPort)
                    .key("trunk_user", "pinhole").key("trunk_password", "trunk-secret").start();

            Sipp.Result alice = Sipp.scenario("call-uac-interdomain.xml", proxy.sipTarget()).service("alice")
                    .credentials("alice", "correct-horse").key("domain", "t.example").key("callee", "004930123456")
                    .key("callee_domain", "t.example").key("sdp_ip", "192.0.2.10").run();
            Sipp.Result carrierResult = carrier.await();

            assertThat(alice.passed()).as(alice.describe()).isTrue();
            assertThat(carrierResult.passed()).as(carrierResult.describe()).isTrue();
            assertThat(carrierResult.messages()).contains("INVITE sip:+4930123456@127.0.0.1:" + carrierPort)
                    .contains("Authorization: Digest username=\"pinhole\"");
        }
    }
}
