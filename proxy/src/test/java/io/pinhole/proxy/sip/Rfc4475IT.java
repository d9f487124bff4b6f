package io.pinhole.proxy.sip;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.testsupport.RawSip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The RFC 4475 torture messages, byte for byte as the RFC's archive has them
 * (src/test/resources/rfc4475), sent to a running proxy over UDP and over TCP. Each message has
 * the class of answer it must get on each transport: a valid request a final answer that is
 * not a 5xx (a 4xx where the proxy refuses it), an invalid one a 4xx or 505, or nothing at all
 * when it cannot be parsed far enough to be answered (the proxy then logs one line), and never
 * a 2xx. Responses are never answered.
 *
 * <p>The proxy serves example.com with one user, {@code user}, so the messages addressed there
 * reach the registrar and the call logic instead of stopping at "domain not served".
 *
 * <p>Many of the messages share one branch (z9hG4bKkdjuw): a second request with a branch the
 * stack still holds a transaction for is a retransmission or a collision, not a new request,
 * so each message waits until its branch is free again (INVITEs are ACKed so theirs ends).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Rfc4475IT {

    enum Transport { UDP, TCP }

    /** What may come back. */
    enum Expect {
        /** a final response, neither 2xx nor 5xx: the proxy refuses a valid request it cannot serve */
        REFUSED,
        /** 2xx or a refusal (4xx, 6xx): a valid request the proxy may serve or refuse */
        SERVED_OR_REFUSED,
        /** a 4xx or a 505: an invalid request */
        REJECTED,
        /** a 4xx, a 505, or nothing (the request cannot be parsed far enough to answer it) */
        REJECTED_OR_DROPPED,
        /** nothing: responses are not answered (and this one matches no transaction of ours) */
        NOTHING
    }

    record Case(String name, String section, boolean valid, Map<Transport, Expect> expect, int exactStatus, String why) {
        @Override
        public String toString() {
            return name + " (" + section + ")";
        }
    }

    private static Case valid(String name, String section, Expect both, String why) {
        return new Case(name, section, true, both(both), 0, why);
    }

    private static Case invalid(String name, String section, Expect both, int exactStatus, String why) {
        return new Case(name, section, false, both(both), exactStatus, why);
    }

    /**
     * Over TCP a message the RI cannot parse is skipped by its stream reader (the proxy logs one
     * line) or the connection is closed: no 400 can be built there.
     */
    private static Case tcpDropped(Case c) {
        return on(c, Transport.TCP, Expect.REJECTED_OR_DROPPED);
    }

    private static Map<Transport, Expect> both(Expect expect) {
        Map<Transport, Expect> map = new EnumMap<>(Transport.class);
        map.put(Transport.UDP, expect);
        map.put(Transport.TCP, expect);
        return map;
    }

    private static Case on(Case c, Transport transport, Expect expect) {
        Map<Transport, Expect> map = new EnumMap<>(c.expect());
        map.put(transport, expect);
        return new Case(c.name(), c.section(), c.valid(), map, c.exactStatus(), c.why());
    }

    static final List<Case> CASES = List.of(
            // 3.1.1 valid messages
            valid("wsinv", "3.1.1.1", Expect.REFUSED, "To has a tag: an in-dialog INVITE for no dialog, 481"),
            valid("intmeth", "3.1.1.2", Expect.REFUSED, "unknown method: 405 with Allow"),
            valid("esc01", "3.1.1.3", Expect.REFUSED, "INVITE from a foreign caller to a foreign domain: 403"),
            valid("escnull", "3.1.1.4", Expect.REFUSED, "REGISTER for an unknown user of example.com: 401 or 403/404"),
            valid("esc02", "3.1.1.5", Expect.REFUSED, "RE%47IST%45R is an unknown method, not REGISTER: 405"),
            valid("lwsdisp", "3.1.1.6", Expect.SERVED_OR_REFUSED, "OPTIONS for user@example.com, a served user"),
            valid("longreq", "3.1.1.7", Expect.REFUSED, "INVITE to user@example.com, not registered: 480"),
            valid("dblreq", "3.1.1.8", Expect.REFUSED, "REGISTER (the INVITE after it is other bytes): 401/403/404"),
            valid("semiuri", "3.1.1.9", Expect.REFUSED, "OPTIONS for the user 'user;par=u@example.net': unknown, 404"),
            valid("transports", "3.1.1.10", Expect.SERVED_OR_REFUSED, "OPTIONS for user@example.com, a served user"),
            valid("mpart01", "3.1.1.11", Expect.REFUSED, "MESSAGE is not a method of the proxy: 405"),
            valid("unreason", "3.1.1.12", Expect.NOTHING, "a response"),
            valid("noreason", "3.1.1.13", Expect.NOTHING, "a response"),
            // 3.1.2 invalid messages
            invalid("badinv01", "3.1.2.1", Expect.REJECTED_OR_DROPPED, 0, "empty Via/Contact parameters"),
            on(invalid("clerr", "3.1.2.2", Expect.REJECTED, 400, "Content-Length larger than the message"),
                    // over a stream the body simply has not all arrived yet: nothing to answer
                    Transport.TCP, Expect.NOTHING),
            invalid("ncl", "3.1.2.3", Expect.REJECTED_OR_DROPPED, 0, "negative Content-Length"),
            // the RI cannot read its CSeq, so no 400 that repeats it can be built: dropped with a log line
            invalid("scalar02", "3.1.2.4", Expect.REJECTED_OR_DROPPED, 400, "CSeq, Max-Forwards, Expires out of range"),
            invalid("scalarlg", "3.1.2.5", Expect.NOTHING, 0, "a response"),
            invalid("quotbal", "3.1.2.6", Expect.REJECTED_OR_DROPPED, 0, "unterminated quoted string in To"),
            tcpDropped(invalid("ltgtruri", "3.1.2.7", Expect.REJECTED, 400, "Request-URI in <>")),
            tcpDropped(invalid("lwsruri", "3.1.2.8", Expect.REJECTED, 400, "space inside the Request-URI")),
            invalid("lwsstart", "3.1.2.9", Expect.REJECTED, 400, "several spaces between request-line elements"),
            invalid("trws", "3.1.2.10", Expect.REJECTED, 400, "spaces after SIP/2.0"),
            invalid("escruri", "3.1.2.11", Expect.REJECTED, 0, "headers (?Route=) in the Request-URI"),
            invalid("baddate", "3.1.2.12", Expect.REJECTED, 0, "Date not in GMT"),
            invalid("regbadct", "3.1.2.13", Expect.REJECTED, 0, "Contact URI with ? not in <>"),
            invalid("badaspec", "3.1.2.14", Expect.REJECTED, 0, "spaces inside <> of To"),
            on(invalid("baddn", "3.1.2.15", Expect.REJECTED, 400, "display names with a comma, not quoted"),
                    // the archive's message has no empty line after its headers: on a stream it is not over yet
                    Transport.TCP, Expect.NOTHING),
            invalid("badvers", "3.1.2.16", Expect.REJECTED, 505, "SIP/7.0"),
            invalid("mismatch01", "3.1.2.17", Expect.REJECTED, 400, "OPTIONS with CSeq INVITE"),
            invalid("mismatch02", "3.1.2.18", Expect.REJECTED, 0, "NEWMETHOD with CSeq INVITE: 400, or 405 for the method"),
            invalid("bigcode", "3.1.2.19", Expect.NOTHING, 0, "a response"),
            // 3.2 transaction layer
            valid("badbranch", "3.2.1", Expect.SERVED_OR_REFUSED, "branch is only the magic cookie: still a request"),
            // 3.3 application layer
            invalid("insuf", "3.3.1", Expect.REJECTED_OR_DROPPED, 0, "no To, From, Call-ID, Max-Forwards"),
            valid("unkscm", "3.3.2", Expect.REFUSED, "unknown Request-URI scheme: 416"),
            valid("novelsc", "3.3.3", Expect.REFUSED, "soap.beep Request-URI: 416"),
            valid("unksm2", "3.3.4", Expect.REFUSED, "REGISTER with a non-SIP To: 400/416"),
            valid("bext01", "3.3.5", Expect.REFUSED, "Proxy-Require with unknown extensions: 420"),
            valid("invut", "3.3.6", Expect.REFUSED, "INVITE with an unknown body type: 415 or a routing refusal"),
            valid("regaut01", "3.3.7", Expect.REFUSED, "REGISTER with an unknown Authorization scheme: 401/403/404"),
            invalid("multi01", "3.3.8", Expect.REJECTED, 0, "two CSeq, Call-ID, To, From"),
            on(invalid("mcl01", "3.3.9", Expect.REJECTED, 400, "two different Content-Length values"),
                    // a stream's framing is lost: closing the connection or waiting are both all one can do
                    Transport.TCP, Expect.REJECTED_OR_DROPPED),
            valid("bcast", "3.3.10", Expect.NOTHING, "a response"),
            valid("zeromf", "3.3.11", Expect.SERVED_OR_REFUSED, "OPTIONS with Max-Forwards 0: 483, or answered here"),
            valid("cparam01", "3.3.12", Expect.REFUSED, "REGISTER for an unknown user: 401/403/404"),
            valid("cparam02", "3.3.13", Expect.REFUSED, "REGISTER for an unknown user: 401/403/404"),
            valid("regescrt", "3.3.14", Expect.REFUSED, "REGISTER for user@example.com without credentials: 401"),
            valid("sdp01", "3.3.15", Expect.REFUSED, "INVITE to user@example.com, not registered: 480"),
            // 3.4 backward compatibility
            valid("inv2543", "3.4.1", Expect.REFUSED, "RFC 2543 INVITE without Contact, which the stack requires: 400"));

    private static final String DOMAIN = "example.com";
    private static final Pattern STATUS_LINE = Pattern.compile("^SIP/2\\.0 (\\d{3}) ?([^\\r\\n]*)");
    private static final long FINAL_WAIT_MILLIS = 4000;
    private static final long NOTHING_WAIT_MILLIS = 1500;

    private final Map<Transport, ProxyInstance> proxies = new EnumMap<>(Transport.class);

    @BeforeAll
    void start() {
        for (Transport transport : Transport.values()) {
            ProxyInstance proxy = ProxyInstance.start(Map.of("pinhole.sip.non-invite-linger", "200ms"));
            proxy.addUser(DOMAIN, "user", "correct-horse-battery");
            proxies.put(transport, proxy);
        }
    }

    @AfterAll
    void stop() {
        proxies.values().forEach(ProxyInstance::close);
    }

    static Stream<Case> cases() {
        return CASES.stream();
    }

    // Each transport has a proxy of its own: its messages go one at a time (a torture message may
    // reuse an earlier one's branch), the two transports side by side (most of the time is waiting).

    @ParameterizedTest(name = "{0} over UDP")
    @MethodSource("cases")
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock("rfc4475-udp")
    void answersTheTortureMessageOverUdp(Case c) throws Exception {
        answersTheTortureMessage(c, Transport.UDP);
    }

    @ParameterizedTest(name = "{0} over TCP")
    @MethodSource("cases")
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock("rfc4475-tcp")
    void answersTheTortureMessageOverTcp(Case c) throws Exception {
        answersTheTortureMessage(c, Transport.TCP);
    }

    private void answersTheTortureMessage(Case c, Transport transport) throws Exception {
        ProxyInstance proxy = proxies.get(transport);
        byte[] message = message(c.name());
        awaitBranchFree(proxy, message);
        Exchange exchange = transport == Transport.UDP ? overUdp(proxy, message) : overTcp(proxy, message);
        Expect expect = c.expect().get(transport);
        String story = story(c, transport, expect, message, exchange);
        System.out.println("RFC4475 " + c.name() + " " + transport + " -> " + exchange.summary());

        Integer status = exchange.finalStatus();
        if (status != null && !c.valid()) {
            assertThat(status / 100).as("never a 2xx to an invalid request; " + story).isNotEqualTo(2);
        }
        switch (expect) {
            case NOTHING -> assertThat(exchange.finalResponse()).as(story).isNull();
            case REFUSED -> {
                assertThat(status).as("a final response; " + story).isNotNull();
                assertThat(status / 100).as(story).isIn(3, 4, 6);
            }
            case SERVED_OR_REFUSED -> {
                assertThat(status).as("a final response; " + story).isNotNull();
                assertThat(status / 100).as(story).isIn(2, 3, 4, 6);
            }
            case REJECTED -> {
                assertThat(status).as("a final response; " + story).isNotNull();
                assertThat(status == 505 || status / 100 == 4).as("4xx or 505; " + story).isTrue();
            }
            case REJECTED_OR_DROPPED -> {
                if (status != null) {
                    assertThat(status == 505 || status / 100 == 4).as("4xx, 505 or nothing; " + story).isTrue();
                }
            }
        }
        if (c.exactStatus() != 0 && status != null) {
            assertThat(status).as(story).isEqualTo(c.exactStatus());
        }
        assertProxyStillAnswers(proxy, story);
    }

    private static byte[] message(String name) throws IOException {
        try (InputStream in = Rfc4475IT.class.getResourceAsStream("/rfc4475/" + name + ".dat")) {
            if (in == null) {
                throw new IllegalStateException("no test message " + name);
            }
            return in.readAllBytes();
        }
    }

    /**
     * Waits (at most 40 s) until the proxy's stack holds no server transaction under the
     * message's transaction id, so an earlier torture message with the same branch is not
     * taken for this one's original.
     */
    private static void awaitBranchFree(ProxyInstance proxy, byte[] message) throws InterruptedException {
        String key;
        try {
            SIPMessage parsed = new StringMsgParser().parseSIPMessage(message, true, false, null);
            if (!(parsed instanceof SIPRequest request) || request.getTopmostVia() == null) {
                return;
            }
            key = request.getTransactionId();
        } catch (Exception unparsable) {
            return;
        }
        SIPTransactionStack stack = (SIPTransactionStack) proxy.bean(SipServer.class).stack();
        long deadline = System.currentTimeMillis() + 40_000;
        while (stack.findTransaction(key, true) != null) {
            if (System.currentTimeMillis() > deadline) {
                fail("the proxy still holds transaction " + key + " after 40 s");
            }
            Thread.sleep(50);
        }
    }

    /** What came back for one message. */
    record Exchange(List<String> received, String finalResponse, boolean closed, String note) {

        Integer finalStatus() {
            return finalResponse == null ? null : status(finalResponse);
        }

        String summary() {
            if (finalResponse != null) {
                return firstLine(finalResponse);
            }
            return (closed ? "connection closed" : "no answer") + (received.isEmpty() ? "" : " (only " + received.stream()
                    .map(Exchange::firstLine).toList() + ")") + (note == null ? "" : " " + note);
        }

        static String firstLine(String message) {
            int end = message.indexOf('\r');
            return end < 0 ? message : message.substring(0, end);
        }
    }

    static Integer status(String response) {
        Matcher m = STATUS_LINE.matcher(response);
        return m.find() ? Integer.parseInt(m.group(1)) : null;
    }

    private static boolean isFinal(String message) {
        Integer status = status(message);
        return status != null && status >= 200;
    }

    private Exchange overUdp(ProxyInstance proxy, byte[] message) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket socket = new DatagramSocket(0, loopback)) {
            socket.send(new DatagramPacket(message, message.length, loopback, proxy.sipPort()));
            List<String> received = new ArrayList<>();
            long deadline = System.currentTimeMillis() + (expectsAnswer(message) ? FINAL_WAIT_MILLIS : NOTHING_WAIT_MILLIS);
            byte[] buffer = new byte[65535];
            while (true) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return new Exchange(received, null, false, null);
                }
                socket.setSoTimeout((int) left);
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    return new Exchange(received, null, false, null);
                }
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                received.add(text);
                if (isFinal(text)) {
                    ack(message, text).ifPresent(ack -> {
                        try {
                            socket.send(new DatagramPacket(ack, ack.length, loopback, proxy.sipPort()));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    return new Exchange(received, text, false, null);
                }
            }
        }
    }

    private Exchange overTcp(ProxyInstance proxy, byte[] message) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.sipPort())) {
            socket.getOutputStream().write(message);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            List<String> received = new ArrayList<>();
            long deadline = System.currentTimeMillis() + (expectsAnswer(message) ? FINAL_WAIT_MILLIS : NOTHING_WAIT_MILLIS);
            while (true) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return new Exchange(received, null, false, null);
                }
                socket.setSoTimeout((int) left);
                String text;
                try {
                    text = readMessage(in);
                } catch (SocketTimeoutException e) {
                    return new Exchange(received, null, false, null);
                } catch (IOException e) {
                    return new Exchange(received, null, true, e.getMessage());
                }
                if (text == null) {
                    return new Exchange(received, null, true, null);
                }
                received.add(text);
                if (isFinal(text)) {
                    Optional<byte[]> ack = ack(message, text);
                    if (ack.isPresent()) {
                        socket.getOutputStream().write(ack.get());
                        socket.getOutputStream().flush();
                        pause(100); // let the ACK be read before the connection closes
                    }
                    return new Exchange(received, text, false, null);
                }
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One message from a stream (headers, then Content-Length bytes), or null at the end of the stream. */
    private static String readMessage(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (head.size() == 0 && (b == '\r' || b == '\n')) {
                continue;
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.UTF_8);
        Matcher length = Pattern.compile("(?im)^(?:Content-Length|l)\\s*:\\s*(\\d+)").matcher(headers);
        int size = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return headers + new String(in.readNBytes(size), StandardCharsets.UTF_8);
    }

    /** Requests get answers; responses (and blank input) do not. */
    private static boolean expectsAnswer(byte[] message) {
        return !new String(message, 0, Math.min(message.length, 8), StandardCharsets.US_ASCII).startsWith("SIP/");
    }

    /**
     * The ACK for a non-2xx final response to an INVITE (RFC 3261 17.1.1.3): the INVITE's
     * Request-URI, the response's Via, From, To, Call-ID and the CSeq number, so the proxy's
     * transaction ends instead of retransmitting the response for 32 s.
     */
    private static Optional<byte[]> ack(byte[] request, String response) {
        String text = new String(request, StandardCharsets.UTF_8);
        int status = status(response);
        if (!text.startsWith("INVITE ") || status < 300) {
            return Optional.empty();
        }
        String requestLine = text.substring(0, text.indexOf("\r\n"));
        String[] parts = requestLine.trim().split(" +");
        if (parts.length < 3) {
            return Optional.empty();
        }
        StringBuilder ack = new StringBuilder("ACK ").append(parts[1]).append(" SIP/2.0\r\n");
        String via = null;
        for (String line : response.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "via", "v" -> {
                    if (via == null) {
                        via = line;
                        ack.append(line).append("\r\n");
                    }
                }
                case "from", "f", "to", "t", "call-id", "i" -> ack.append(line).append("\r\n");
                case "cseq" -> ack.append("CSeq: ").append(line.substring(colon + 1).trim().split("\\s+")[0])
                        .append(" ACK\r\n");
                default -> {
                }
            }
        }
        ack.append("Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
        return Optional.of(ack.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String story(Case c, Transport transport, Expect expect, byte[] message, Exchange exchange) {
        String sent = new String(message, StandardCharsets.UTF_8);
        return String.format("%n RFC 4475 %s %s (%s: %s) over %s, expected %s%s%n sent %d bytes:%n%s%n came back: %s%n%s",
                c.section(), c.name(), c.valid() ? "valid" : "invalid", c.why(), transport, expect,
                c.exactStatus() == 0 ? "" : " (" + c.exactStatus() + ")",
                message.length, indent(sent.length() > 1500 ? sent.substring(0, 1500) + "..." : sent), exchange.summary(),
                exchange.received().stream().map(Rfc4475IT::indent).reduce("", (a, b) -> a + b + "\n"));
    }

    private static String indent(String text) {
        return "    | " + text.replace("\r\n", "\n").replace("\n", "\n    | ");
    }

    private static void assertProxyStillAnswers(ProxyInstance proxy, String story) {
        try (RawSip probe = new RawSip(proxy.sipPort())) {
            String options = "OPTIONS sip:" + DOMAIN + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + probe.localPort() + ";branch=z9hG4bKprobe" + System.nanoTime() + "\r\n"
                    + "From: <sip:probe@" + DOMAIN + ">;tag=p1\r\nTo: <sip:" + DOMAIN + ">\r\n"
                    + "Call-ID: probe-" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                    + "Content-Length: 0\r\n\r\n";
            Optional<String> answer = probe.request(options);
            assertThat(answer).as("the proxy answers a keepalive OPTIONS after the torture message; " + story).isPresent();
            assertThat(RawSip.status(answer.get())).as(story).isEqualTo(200);
        }
    }
}
