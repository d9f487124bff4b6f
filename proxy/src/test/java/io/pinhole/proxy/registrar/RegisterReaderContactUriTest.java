package io.pinhole.proxy.registrar;

import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.pinhole.proxy.sip.Flow;
import org.junit.jupiter.api.Test;

import javax.sip.header.ContactHeader;
import javax.sip.message.Request;
import java.time.Instant;
import java.util.Iterator;

import static org.assertj.core.api.Assertions.assertThat;

/** The 200 lists a binding this REGISTER sent with the request's own parsed URI, matched by its text. */
class RegisterReaderContactUriTest {

    private static Request register(String contacts) throws Exception {
        return new MessageFactoryImpl().createRequest("REGISTER sip:example.org SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1\r\n"
                + "From: <sip:alice@example.org>;tag=1\r\n"
                + "To: <sip:alice@example.org>\r\n"
                + "Call-ID: c1\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + contacts
                + "Content-Length: 0\r\n\r\n");
    }

    @Test
    void theRequestsUriForTheTextReadPutIntoTheBinding() throws Exception {
        Request request = register("Contact: \"Alice\" <sip:alice@192.0.2.1:5060;transport=UDP>;expires=600\r\n"
                + "Contact: <sip:alice@198.51.100.7:5062>;q=0.5\r\n");
        RegisterRequest read = RegisterReader.read(request, 1, new RegisterReader.Aor("alice", "example.org"),
                new Flow("192.0.2.1", 5060, "UDP"), Instant.EPOCH);
        Iterator<?> contacts = request.getHeaders(ContactHeader.NAME);
        Object first = ((ContactHeader) contacts.next()).getAddress().getURI();
        Object second = ((ContactHeader) contacts.next()).getAddress().getURI();

        assertThat(RegisterReader.contactUri(request, read.contacts().get(0).uri())).isSameAs(first);
        assertThat(RegisterReader.contactUri(request, read.contacts().get(1).uri())).isSameAs(second);
    }

    @Test
    void noneForABindingOfAnotherRequest() throws Exception {
        assertThat(RegisterReader.contactUri(register("Contact: <sip:alice@192.0.2.1:5060>\r\n"), "sip:alice@192.0.2.99"))
                .isNull();
        assertThat(RegisterReader.contactUri(register("Contact: *\r\nExpires: 0\r\n"), "sip:alice@192.0.2.1:5060")).isNull();
        assertThat(RegisterReader.contactUri(register(""), "sip:alice@192.0.2.1:5060")).isNull();
    }
}
