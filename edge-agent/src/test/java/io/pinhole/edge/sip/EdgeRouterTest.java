package io.pinhole.edge.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EdgeRouterTest {

    private static final Hop LAN = new Hop("192.168.1.2", 5060);
    private static final Hop UP = new Hop("10.9.0.2", 40123);
    private final EdgeRouter router = new EdgeRouter("ab12cd34", LAN, "TLS");

    private static SipMessage msg(String text) {
        return SipMessage.parse(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static final String PHONE_INVITE = """
            INVITE sip:bob@example.com SIP/2.0
            Via: SIP/2.0/UDP 192.168.1.50:5062;branch=z9hG4bKphone1;rport
            Max-Forwards: 70
            From: <sip:alice@example.com>;tag=a1
            To: <sip:bob@example.com>
            Call-ID: call-1
            CSeq: 1 INVITE
            Contact: <sip:alice@192.168.1.50:5062>
            Content-Length: 0

            """;

    @Test
    void phoneRequestGoesUpstreamWithOurViaOnTopAndDoubleRecordRoute() {
        Routing r = router.fromLan(msg(PHONE_INVITE), new Hop("192.168.1.50", 5062), UP);

        assertThat(r).isInstanceOf(Routing.ToUpstream.class);
        SipMessage m = ((Routing.ToUpstream) r).message();
        assertThat(m.headers("Via")).hasSize(2);
        Via top = Via.parse(m.headers("Via").get(0));
        assertThat(top.transport()).isEqualTo("TLS");
        assertThat(top.host() + ":" + top.port()).isEqualTo("10.9.0.2:40123");
        assertThat(top.branch()).startsWith("z9hG4bKphab12cd34L");
        Via phone = Via.parse(m.headers("Via").get(1));
        assertThat(phone.params()).containsEntry("rport", "5062").containsEntry("received", "192.168.1.50");
        // the phone (UAC) reverses the list: it routes to the LAN-facing entry first
        assertThat(m.headers("Record-Route")).containsExactly(
                "<sip:10.9.0.2:40123;transport=tls;lr;ph-edge=ab12cd34>",
                "<sip:192.168.1.2:5060;lr;ph-edge=ab12cd34>");
        assertThat(m.header("Max-Forwards")).isEqualTo("69");
    }

    @Test
    void retransmissionAndCancelGetTheSameBranch() {
        Routing first = router.fromLan(msg(PHONE_INVITE), new Hop("192.168.1.50", 5062), UP);
        Routing again = router.fromLan(msg(PHONE_INVITE), new Hop("192.168.1.50", 5062), UP);
        Routing cancel = router.fromLan(msg(PHONE_INVITE.replace("INVITE sip", "CANCEL sip").replace("1 INVITE", "1 CANCEL")),
                new Hop("192.168.1.50", 5062), UP);

        String b1 = Via.parse(((Routing.ToUpstream) first).message().header("Via")).branch();
        assertThat(Via.parse(((Routing.ToUpstream) again).message().header("Via")).branch()).isEqualTo(b1);
        assertThat(Via.parse(((Routing.ToUpstream) cancel).message().header("Via")).branch()).isEqualTo(b1);
        assertThat(((Routing.ToUpstream) cancel).message().headers("Record-Route")).isEmpty();
    }

    @Test
    void inDialogRequestFromPhonePopsBothOwnRoutesAndKeepsTheProxys() {
        String bye = """
                BYE sip:bob@203.0.113.7:5060 SIP/2.0
                Via: SIP/2.0/UDP 192.168.1.50:5062;branch=z9hG4bKphone2
                Route: <sip:192.168.1.2:5060;lr;ph-edge=ab12cd34>, <sip:10.9.0.2:40123;transport=tls;lr;ph-edge=ab12cd34>
                Route: <sip:proxy.example.com;lr>
                From: <sip:alice@example.com>;tag=a1
                To: <sip:bob@example.com>;tag=b1
                Call-ID: call-1
                CSeq: 2 BYE
                Content-Length: 0

                """;
        Routing r = router.fromLan(msg(bye), new Hop("192.168.1.50", 5062), UP);

        SipMessage m = ((Routing.ToUpstream) r).message();
        assertThat(m.headers("Route")).containsExactly("<sip:proxy.example.com;lr>");
        assertThat(m.headers("Record-Route")).isEmpty();
        assertThat(m.header("Max-Forwards")).isEqualTo("69");
    }

    @Test
    void upstreamInviteGoesToThePhoneContactWithRecordRoutesLanFirst() {
        String invite = """
                INVITE sip:alice@192.168.1.50:5062 SIP/2.0
                Via: SIP/2.0/TLS 203.0.113.7:5061;branch=z9hG4bKproxy1
                Max-Forwards: 69
                From: <sip:bob@example.com>;tag=b9
                To: <sip:alice@example.com>
                Call-ID: call-2
                CSeq: 1 INVITE
                Content-Length: 0

                """;
        Routing r = router.fromUpstream(msg(invite), UP);

        assertThat(r).isInstanceOf(Routing.ToLan.class);
        Routing.ToLan l = (Routing.ToLan) r;
        assertThat(l.to()).isEqualTo(new Hop("192.168.1.50", 5062));
        Via top = Via.parse(l.message().header("Via"));
        assertThat(top.transport()).isEqualTo("UDP");
        assertThat(top.host()).isEqualTo("192.168.1.2");
        assertThat(top.params()).containsKey("rport");
        // the phone (UAS) keeps the list's order: it routes to the LAN-facing entry first
        assertThat(l.message().headers("Record-Route")).containsExactly(
                "<sip:192.168.1.2:5060;lr;ph-edge=ab12cd34>",
                "<sip:10.9.0.2:40123;transport=tls;lr;ph-edge=ab12cd34>");
    }

    @Test
    void inDialogRequestFromUpstreamFollowsRequestUriAfterPoppingOwnRoutes() {
        String bye = """
                BYE sip:alice@192.168.1.50:5062 SIP/2.0
                Via: SIP/2.0/TLS 203.0.113.7:5061;branch=z9hG4bKproxy2
                Route: <sip:10.9.0.2:40123;transport=tls;lr;ph-edge=ab12cd34>
                Route: <sip:192.168.1.2:5060;lr;ph-edge=ab12cd34>
                From: <sip:bob@example.com>;tag=b9
                To: <sip:alice@example.com>;tag=a9
                Call-ID: call-2
                CSeq: 2 BYE
                Content-Length: 0

                """;
        Routing.ToLan l = (Routing.ToLan) router.fromUpstream(msg(bye), UP);

        assertThat(l.to()).isEqualTo(new Hop("192.168.1.50", 5062));
        assertThat(l.message().headers("Route")).isEmpty();
        assertThat(l.message().headers("Record-Route")).isEmpty();
    }

    @Test
    void responseFromUpstreamPopsOurViaAndHonoursReceivedAndRport() {
        SipMessage forwarded = ((Routing.ToUpstream) router.fromLan(msg(PHONE_INVITE),
                new Hop("192.168.1.77", 40000), UP)).message();
        String response = "SIP/2.0 180 Ringing\n"
                + "Via: " + forwarded.headers("Via").get(0) + "\n"
                + "Via: " + forwarded.headers("Via").get(1) + "\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:bob@example.com>;tag=b1\nCall-ID: call-1\n"
                + "CSeq: 1 INVITE\nContent-Length: 0\n\n";

        Routing.ToLan l = (Routing.ToLan) router.fromUpstream(msg(response), UP);

        assertThat(l.to()).isEqualTo(new Hop("192.168.1.77", 40000));
        assertThat(l.message().headers("Via")).hasSize(1);
    }

    @Test
    void responseFromPhonePopsOurViaAndGoesUpstream() {
        String response = """
                SIP/2.0 200 OK
                Via: SIP/2.0/UDP 192.168.1.2:5060;branch=z9hG4bKphab12cd34Uabcdef;rport
                Via: SIP/2.0/TLS 203.0.113.7:5061;branch=z9hG4bKproxy1
                From: <sip:bob@example.com>;tag=b9
                To: <sip:alice@example.com>;tag=a9
                Call-ID: call-2
                CSeq: 1 INVITE
                Content-Length: 0

                """;
        Routing.ToUpstream u = (Routing.ToUpstream) router.fromLan(msg(response), new Hop("192.168.1.50", 5062), UP);

        assertThat(u.message().headers("Via")).containsExactly("SIP/2.0/TLS 203.0.113.7:5061;branch=z9hG4bKproxy1");
    }

    @Test
    void responseWhoseTopViaIsNotOursIsDropped() {
        String response = """
                SIP/2.0 200 OK
                Via: SIP/2.0/UDP 192.168.1.9:5060;branch=z9hG4bKother
                From: <sip:bob@example.com>;tag=b9
                To: <sip:alice@example.com>;tag=a9
                Call-ID: call-2
                CSeq: 1 INVITE
                Content-Length: 0

                """;
        assertThat(router.fromLan(msg(response), new Hop("192.168.1.9", 5060), UP)).isInstanceOf(Routing.Drop.class);
        assertThat(router.fromUpstream(msg(response), UP)).isInstanceOf(Routing.Drop.class);
    }

    @Test
    void ownRegisterResponseIsTheAgents() {
        String response = "SIP/2.0 401 Unauthorized\nVia: SIP/2.0/TLS 10.9.0.2:40123;branch=" + EdgeRouter.OWN_BRANCH
                + "1234\nFrom: <sip:edge@example.com>;tag=x\nTo: <sip:edge@example.com>;tag=y\nCall-ID: r\n"
                + "CSeq: 1 REGISTER\nContent-Length: 0\n\n";
        assertThat(router.fromUpstream(msg(response), UP)).isInstanceOf(Routing.Own.class);
    }

    @Test
    void exhaustedMaxForwardsIsAnswered483ToThePhone() {
        Routing r = router.fromLan(msg(PHONE_INVITE.replace("Max-Forwards: 70", "Max-Forwards: 0")),
                new Hop("192.168.1.50", 5062), UP);

        Routing.ToLan l = (Routing.ToLan) r;
        assertThat(l.message().startLine()).isEqualTo("SIP/2.0 483 Too Many Hops");
        assertThat(l.to()).isEqualTo(new Hop("192.168.1.50", 5062));
    }

    @Test
    void requestWithoutCallIdIsAnswered400NamingIt() {
        Routing r = router.fromLan(msg(PHONE_INVITE.replace("Call-ID: call-1\n", "")), new Hop("192.168.1.50", 5062), UP);

        assertThat(((Routing.ToLan) r).message().startLine()).isEqualTo("SIP/2.0 400 Missing Call-ID");
    }

    @Test
    void optionsToTheAgentsOwnBindingIsAnsweredByTheAgent() {
        String options = """
                OPTIONS sip:edge@10.9.0.2:40123;transport=tls;ph-edge=ab12cd34 SIP/2.0
                Via: SIP/2.0/TLS 203.0.113.7:5061;branch=z9hG4bKprobe
                From: <sip:probe@example.com>;tag=p
                To: <sip:edge@example.com>
                Call-ID: probe-1
                CSeq: 1 OPTIONS
                Content-Length: 0

                """;
        Routing.ToUpstream u = (Routing.ToUpstream) router.fromUpstream(msg(options), UP);

        assertThat(u.message().status()).isEqualTo(200);
    }
}
