package io.pinhole.redirect.support;

import java.util.List;

/**
 * SIPp scenarios for the redirect server, written by the test: one request, the expected status,
 * regular expressions the answer must match. A failed check fails the call, and SIPp's exit code
 * says so. {@link io.pinhole.testsupport.Sipp#scenarioXml} runs them.
 */
public final class SippScenarios {

    private SippScenarios() {
    }

    /** An INVITE to {@code requestUri}, expecting {@code status} and every regex, then the ACK. */
    public static String inviteScenario(String requestUri, int status, List<String> regexes) {
        return scenario("""
                INVITE %1$s SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
                To: <%1$s>
                Call-ID: [call_id]
                CSeq: 1 INVITE
                Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
                Max-Forwards: 70
                Content-Length: 0
                """.formatted(requestUri), status, regexes, requestUri);
    }

    /** Any request text (SIPp keywords allowed), expecting {@code status} and every regex. */
    public static String requestScenario(String request, int status, List<String> regexes) {
        return scenario(request, status, regexes, null);
    }

    private static String scenario(String request, int status, List<String> regexes, String ackUri) {
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0" encoding="ISO-8859-1" ?>
                <scenario name="pinhole redirect test">
                  <send retrans="500"><![CDATA[
                """);
        xml.append(request.strip()).append("\n\n  ]]></send>\n");
        xml.append("  <recv response=\"").append(status).append("\"");
        if (!regexes.isEmpty()) {
            xml.append(">\n    <action>\n");
            for (int i = 0; i < regexes.size(); i++) {
                xml.append("      <ereg regexp=\"").append(xmlEscape(regexes.get(i)))
                        .append("\" search_in=\"msg\" check_it=\"true\" assign_to=\"m").append(i).append("\"/>\n");
            }
            xml.append("    </action>\n  </recv>\n");
            xml.append("  <Reference variables=\"");
            for (int i = 0; i < regexes.size(); i++) {
                xml.append(i == 0 ? "" : ",").append("m").append(i);
            }
            xml.append("\"/>\n");
        } else {
            xml.append("/>\n");
        }
        if (ackUri != null) {
            xml.append("""
                      <send><![CDATA[
                    ACK %s SIP/2.0
                    [last_Via:]
                    [last_From:]
                    [last_To:]
                    [last_Call-ID:]
                    CSeq: 1 ACK
                    Max-Forwards: 70
                    Content-Length: 0

                      ]]></send>
                    """.formatted(ackUri));
        }
        xml.append("</scenario>\n");
        return xml.toString();
    }

    /** A POSIX extended regular expression matching {@code literal} exactly. */
    public static String literal(String literal) {
        StringBuilder out = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
                out.append(c == '\\' || c == '^' ? "\\" + c : "[" + c + "]");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
