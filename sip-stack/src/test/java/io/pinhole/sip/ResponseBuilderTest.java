package io.pinhole.sip;

import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import org.junit.jupiter.api.Test;

import javax.sip.header.ServerHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseBuilderTest {

    private final MessageFactoryImpl messages = new MessageFactoryImpl();
    private final ResponseBuilder named =
            new ResponseBuilder(messages, new HeaderFactoryImpl(), request -> "t1", List.of("Pinhole"));
    private final ResponseBuilder anonymous =
            new ResponseBuilder(messages, new HeaderFactoryImpl(), request -> "t2", List.of());

    @Test
    void answersWithTheStatusAndTheStandardReason() throws Exception {
        Response response = named.create(request(null), 404, null);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getReasonPhrase()).isEqualTo("Not found"); // the RI's spelling
        assertThat(response.getHeader("Call-ID").toString()).contains("builder-test");
    }

    @Test
    void takesAGivenReasonPhrase() throws Exception {
        assertThat(named.create(request(null), 400, "Bad Request (no Via)").getReasonPhrase())
                .isEqualTo("Bad Request (no Via)");
    }

    @Test
    void tagsTheToOfEveryResponseButATrying() throws Exception {
        assertThat(toTag(named.create(request(null), 180, null))).isEqualTo("t1");
        assertThat(toTag(anonymous.create(request(null), 302, null))).isEqualTo("t2");
        assertThat(toTag(named.create(request(null), 100, null))).isNull();
    }

    @Test
    void keepsTheTagOfAnInDialogRequest() throws Exception {
        assertThat(toTag(named.create(request("dialog"), 200, null))).isEqualTo("dialog");
    }

    @Test
    void namesTheServerOnlyWhenItHasAName() throws Exception {
        ServerHeader server = (ServerHeader) named.create(request(null), 200, null).getHeader(ServerHeader.NAME);

        assertThat(server.toString().trim()).isEqualTo("Server: Pinhole");
        assertThat(anonymous.create(request(null), 200, null).getHeader(ServerHeader.NAME)).isNull();
    }

    private static String toTag(Response response) {
        return ((ToHeader) response.getHeader(ToHeader.NAME)).getTag();
    }

    private Request request(String toTag) throws Exception {
        return messages.createRequest("OPTIONS sip:b@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-builder\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:a@example.com>;tag=from1\r\n"
                + "To: <sip:b@example.com>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: builder-test\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n");
    }
}
