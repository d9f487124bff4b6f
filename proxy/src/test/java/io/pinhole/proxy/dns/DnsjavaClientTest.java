package io.pinhole.proxy.dns;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Responses as the resolver library hands them over, read into our values. */
class DnsjavaClientTest {

    private static Name name(String text) throws Exception {
        return Name.fromString(text, Name.root);
    }

    private static Message response(String question, int type, int rcode) throws Exception {
        Message message = Message.newQuery(Record.newRecord(name(question), type, DClass.IN));
        message.getHeader().setRcode(rcode);
        return message;
    }

    @Test
    void srvRecordsWithTheSmallestTtl() throws Exception {
        Message m = response("_sip._udp.p.example", Type.SRV, Rcode.NOERROR);
        m.addRecord(new SRVRecord(name("_sip._udp.p.example"), DClass.IN, 300, 10, 60, 5060, name("a.p.example")), Section.ANSWER);
        m.addRecord(new SRVRecord(name("_sip._udp.p.example"), DClass.IN, 120, 20, 0, 5070, name("B.p.example")), Section.ANSWER);

        assertThat(DnsjavaClient.read("_sip._udp.p.example", RecordType.SRV, m)).isEqualTo(new DnsAnswer.Found(List.of(
                new DnsRecord.Srv(10, 60, 5060, "a.p.example"), new DnsRecord.Srv(20, 0, 5070, "b.p.example")), 120));
    }

    @Test
    void srvTargetRootMeansNoService() throws Exception {
        Message m = response("_sip._udp.p.example", Type.SRV, Rcode.NOERROR);
        m.addRecord(new SRVRecord(name("_sip._udp.p.example"), DClass.IN, 300, 0, 0, 0, Name.root), Section.ANSWER);

        assertThat(DnsjavaClient.read("_sip._udp.p.example", RecordType.SRV, m)).isEqualTo(new DnsAnswer.Found(List.of(
                new DnsRecord.Srv(0, 0, 0, "")), 300));
    }

    @Test
    void addressBehindACname() throws Exception {
        Message m = response("sip.p.example", Type.A, Rcode.NOERROR);
        m.addRecord(new CNAMERecord(name("sip.p.example"), DClass.IN, 600, name("host.p.example")), Section.ANSWER);
        m.addRecord(new ARecord(name("host.p.example"), DClass.IN, 60, InetAddress.getByName("192.0.2.1")), Section.ANSWER);

        assertThat(DnsjavaClient.read("sip.p.example", RecordType.A, m)).isEqualTo(new DnsAnswer.Found(List.of(
                new DnsRecord.Address(InetAddress.getByName("192.0.2.1"))), 60));
    }

    @Test
    void nxdomainIsNegativeForTheSoaMinimum() throws Exception {
        Message m = response("nowhere.p.example", Type.NAPTR, Rcode.NXDOMAIN);
        m.addRecord(new SOARecord(name("p.example"), DClass.IN, 3600, name("ns.p.example"), name("admin.p.example"),
                1, 7200, 900, 1209600, 120), Section.AUTHORITY);

        assertThat(DnsjavaClient.read("nowhere.p.example", RecordType.NAPTR, m)).isEqualTo(new DnsAnswer.Missing(120));
    }

    @Test
    void noRecordsOfTheTypeIsNegativeToo() throws Exception {
        Message m = response("p.example", Type.NAPTR, Rcode.NOERROR);

        assertThat(DnsjavaClient.read("p.example", RecordType.NAPTR, m)).isEqualTo(new DnsAnswer.Missing(30));
    }

    @Test
    void servfailIsAFailureNamingTheQuestion() throws Exception {
        Message m = response("p.example", Type.NAPTR, Rcode.SERVFAIL);

        assertThat(DnsjavaClient.read("p.example", RecordType.NAPTR, m))
                .isEqualTo(new DnsAnswer.Failed("DNS query p.example/NAPTR failed: SERVFAIL"));
    }
}
