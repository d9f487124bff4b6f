package io.pinhole.redirect.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs SIPp (Debian package sip-tester) as a UAC against the server with a scenario written by
 * the test: one request, the expected status, regular expressions the answer must match. A
 * failed check fails the call, and SIPp's exit code says so.
 */
public final class Sipp {

    private final Path workDirectory;
    private final int serverPort;

    public Sipp(Path workDirectory, int serverPort) {
        this.workDirectory = workDirectory;
        this.serverPort = serverPort;
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

    public Result run(String scenarioXml, String transport) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(workDirectory, "sipp");
        Path scenario = dir.resolve("scenario.xml");
        Files.writeString(scenario, scenarioXml, StandardCharsets.ISO_8859_1);
        Path messages = dir.resolve("messages.log");
        Path errors = dir.resolve("errors.log");
        Path screen = dir.resolve("screen.log");
        List<String> command = new ArrayList<>(List.of("sipp", "127.0.0.1:" + serverPort,
                "-sf", scenario.toString(),
                "-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udpAndTcp()),
                "-t", "tcp".equals(transport) ? "t1" : "u1",
                "-m", "1", "-nostdin",
                "-recv_timeout", "4000", "-timeout", "15s", "-timeout_error",
                "-trace_msg", "-message_file", messages.toString(),
                "-trace_err", "-error_file", errors.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(screen.toFile())
                .start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("SIPp did not finish within 30 s");
        }
        return new Result(process.exitValue(), read(messages), read(errors));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** SIPp's exit code (0: every call passed) and its message and error traces. */
    public record Result(int exitCode, String messages, String errors) {
        public boolean passed() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "SIPp exit " + exitCode + "\n--- messages ---\n" + messages + "\n--- errors ---\n" + errors;
        }
    }
}
