package io.pinhole.proxy.flood;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/** Requests as the RI's datagram parser makes them, with the packet's source set as the stack sets it. */
final class Requests {

    private Requests() {
    }

    static SIPRequest options(String source, String userAgentLine) {
        String text = "OPTIONS sip:proxy.example SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + source + ":5060;branch=z9hG4bK-" + System.nanoTime() + ";rport\r\n"
                + "From: <sip:100@proxy.example>;tag=1\r\n"
                + "To: <sip:100@proxy.example>\r\n"
                + "Call-ID: flood-" + System.nanoTime() + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Max-Forwards: 70\r\n"
                + (userAgentLine == null ? "" : userAgentLine + "\r\n")
                + "Content-Length: 0\r\n\r\n";
        try {
            SIPRequest request = (SIPRequest) new StringMsgParser()
                    .parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
            request.setPeerPacketSourceAddress(InetAddress.getByName(source));
            request.setPeerPacketSourcePort(5060);
            return request;
        } catch (ParseException | java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
