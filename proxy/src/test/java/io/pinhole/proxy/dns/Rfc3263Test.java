package io.pinhole.proxy.dns;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class Rfc3263Test {

    private static final Set<String> UDP_TCP = Set.of("UDP", "TCP");
    private static final Set<String> ALL = Set.of("UDP", "TCP", "TLS");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // case                                  | host          | port | transport | sips  | plan
            "IPv4 literal, nothing else               | 192.0.2.1     | -1   | -         | false | Literal[address=192.0.2.1, port=5060, transport=UDP]",
            "IPv4 literal with port                   | 192.0.2.1     | 5080 | -         | false | Literal[address=192.0.2.1, port=5080, transport=UDP]",
            "IPv4 literal over TCP                    | 192.0.2.1     | -1   | tcp       | false | Literal[address=192.0.2.1, port=5060, transport=TCP]",
            "IPv6 literal in brackets                 | [2001:db8::1] | -1   | -         | false | Literal[address=2001:db8::1, port=5060, transport=UDP]",
            "sips literal: TLS on 5061                | 192.0.2.1     | -1   | -         | true  | Literal[address=192.0.2.1, port=5061, transport=TLS]",
            "sips;transport=tcp is TLS                | 192.0.2.1     | -1   | tcp       | true  | Literal[address=192.0.2.1, port=5061, transport=TLS]",
            "name with port: A/AAAA only              | Peer.Example  | 5070 | -         | false | Addresses[host=peer.example, port=5070, transport=UDP]",
            "name with port and TCP                   | peer.example  | 5070 | tcp       | false | Addresses[host=peer.example, port=5070, transport=TCP]",
            "name with transport: SRV for it          | peer.example  | -1   | tcp       | false | Srv[host=peer.example, transport=TCP]",
            "name with transport=udp                  | peer.example  | -1   | udp       | false | Srv[host=peer.example, transport=UDP]",
            "name alone: NAPTR                        | peer.example. | -1   | -         | false | Naptr[host=peer.example, secure=false]",
            "sips name alone: NAPTR, secure           | peer.example  | -1   | -         | true  | Naptr[host=peer.example, secure=true]",
            "transport not run here                   | peer.example  | -1   | sctp      | false | Unusable[why=transport SCTP of peer.example is not enabled here]",
    })
    void decides(String name, String host, int port, String transport, boolean secure, String plan) {
        assertThat(Rfc3263.plan(new SipTarget(host, port, transport, secure), ALL).toString()).isEqualTo(plan);
    }

    @Test
    void sipsNeedsTlsHere() {
        assertThat(Rfc3263.plan(new SipTarget("192.0.2.1", -1, null, true), UDP_TCP))
                .isEqualTo(new Rfc3263.Unusable("transport TLS of 192.0.2.1 is not enabled here"));
        assertThat(Rfc3263.plan(new SipTarget("p.example", -1, "tls", false), UDP_TCP))
                .isInstanceOf(Rfc3263.Unusable.class);
    }

    @Test
    void srvNamesPerTransport() {
        assertThat(Rfc3263.srvName("peer.example", "UDP").name()).isEqualTo("_sip._udp.peer.example");
        assertThat(Rfc3263.srvName("peer.example", "TCP").name()).isEqualTo("_sip._tcp.peer.example");
        assertThat(Rfc3263.srvName("peer.example", "TLS").name()).isEqualTo("_sips._tcp.peer.example");
    }

    @Test
    void srvFallbacksFollowTheTransportsWeRun() {
        assertThat(Rfc3263.srvFallbacks("p.example", false, UDP_TCP)).extracting(Rfc3263.SrvName::name)
                .containsExactly("_sip._udp.p.example", "_sip._tcp.p.example");
        assertThat(Rfc3263.srvFallbacks("p.example", false, ALL)).hasSize(3);
        assertThat(Rfc3263.srvFallbacks("p.example", true, ALL)).extracting(Rfc3263.SrvName::name)
                .containsExactly("_sips._tcp.p.example");
        assertThat(Rfc3263.srvFallbacks("p.example", true, UDP_TCP)).isEmpty();
    }

    @Test
    void naptrChoiceKeepsTerminalSipServicesInOrder() {
        List<DnsRecord.Naptr> records = List.of(
                new DnsRecord.Naptr(20, 10, "s", "SIP+D2U", "_sip._udp.p.example"),
                new DnsRecord.Naptr(10, 20, "s", "SIP+D2T", "_sip._tcp.p.example"),
                new DnsRecord.Naptr(10, 10, "S", "SIPS+D2T", "_sips._tcp.p.example"),
                new DnsRecord.Naptr(5, 10, "u", "E2U+sip", ""),
                new DnsRecord.Naptr(5, 10, "s", "SIP+D2S", "_sip._sctp.p.example"));

        assertThat(NaptrChoice.usable(records, false, ALL)).containsExactly(
                new Rfc3263.SrvName("_sips._tcp.p.example", "TLS"),
                new Rfc3263.SrvName("_sip._tcp.p.example", "TCP"),
                new Rfc3263.SrvName("_sip._udp.p.example", "UDP"));
        assertThat(NaptrChoice.usable(records, false, UDP_TCP)).extracting(Rfc3263.SrvName::transport)
                .containsExactly("TCP", "UDP");
        assertThat(NaptrChoice.usable(records, true, ALL)).extracting(Rfc3263.SrvName::transport).containsExactly("TLS");
        assertThat(NaptrChoice.usable(records, true, UDP_TCP)).isEmpty();
    }
}
