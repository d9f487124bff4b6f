package io.pinhole.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RawRegister;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.RawSip;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Malformed input on every port the proxy and the relay open: SIP over UDP and TCP, the admin
 * HTTP port, the relay's ng control port, its HTTP port, the UDP media ports of a call in
 * progress and its TCP media port. Each gets random bytes, truncated SIP, an oversized datagram,
 * an HTTP request, a TLS ClientHello, SIP whose Request-URI has thousands of parameters; the TCP
 * ports also a connection that never sends and one that sends a byte a second while the rest of
 * the test runs. Afterwards every service must still work (a REGISTER over UDP and TCP gets its
 * 401, ng ping answers pong, the call still forwards RTP both ways, both health endpoints
 * answer UP), the relay process is alive, no thread of the proxy died of an uncaught exception,
 * and no exception reached a log: no WARN or ERROR line of the proxy that carries or names one
 * (the RI logs a parser crash as "Error while processing incoming UDP packet ...Exception"), no
 * stack trace through our code, the SIP stack or Netty in the relay's log. (Tomcat's own INFO
 * line for a non-HTTP request on an HTTP port is its documented answer, not a crash.)
 */
class MalformedInputIT {

    private static final String DOMAIN = "m.example";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int RELAY_MIN = 43600;
    private static final int RELAY_MAX = 43699;
    private static final Pattern RELAY_STACK_LINE = Pattern.compile("^\\s+at (io\\.pinhole|io\\.netty)\\.");
    private static final Pattern MEDIA_PORT = Pattern.compile("m=audio (\\d+) ");

    private final Random random = new Random(15);
    private final List<Throwable> uncaught = Collections.synchronizedList(new ArrayList<>());

    @Test
    void everyServiceSurvivesMalformedInputOnEveryPort() throws Exception {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(new IllegalStateException(
                "thread " + thread.getName() + " died", e)));
        int relayHttp = FreePorts.udpAndTcp();
        int relayTcpMedia = FreePorts.udpAndTcp();
        List<Socket> idle = new ArrayList<>();
        AtomicBoolean dripping = new AtomicBoolean(true);
        try (RelayProcess relay = RelayProcess.start(RELAY_MIN, RELAY_MAX, "127.0.0.1", Map.of(
                "server.port", relayHttp, "pinhole.relay.tcp-port", relayTcpMedia, "pinhole.relay.warm-up-calls", 20));
             ProxyInstance proxy = ProxyInstance.start(Map.of("pinhole.media.default-relay", relay.control(),
                     "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false));
             DatagramSocket caller = udp(); DatagramSocket callee = udp()) {
            proxy.addUser(DOMAIN, "alice", "correct-horse");
            ListAppender<ILoggingEvent> proxyLog = new ListAppender<>();
            Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            proxyLog.start();
            root.addAppender(proxyLog);
            int ng = Integer.parseInt(relay.control().split(":")[1]);
            Call call = Call.set(relay, caller, callee);
            call.assertForwards(); // both ends latched before the garbage arrives

            Map<String, Integer> udpPorts = new LinkedHashMap<>();
            udpPorts.put("proxy SIP/UDP", proxy.sipPort());
            udpPorts.put("relay ng", ng);
            udpPorts.put("relay media (caller side)", call.callerFacing);
            udpPorts.put("relay media (caller side RTCP)", call.callerFacing + 1);
            udpPorts.put("relay media (callee side)", call.calleeFacing);
            Map<String, Integer> tcpPorts = new LinkedHashMap<>();
            tcpPorts.put("proxy SIP/TCP", proxy.sipPort());
            tcpPorts.put("proxy admin HTTP", proxy.adminPort());
            tcpPorts.put("relay HTTP", relayHttp);
            tcpPorts.put("relay media TCP", relayTcpMedia);

            List<byte[]> inputs = malformedInputs();
            try (DatagramSocket stranger = udp()) {
                for (int port : udpPorts.values()) {
                    for (byte[] input : inputs) {
                        stranger.send(new DatagramPacket(input, Math.min(input.length, 65_507), LOOPBACK, port));
                    }
                }
            }
            for (int port : tcpPorts.values()) {
                for (byte[] input : inputs) {
                    sendAndClose(port, input);
                }
                idle.add(new Socket(LOOPBACK, port)); // half open: never sends
                Socket drip = new Socket(LOOPBACK, port);
                idle.add(drip);
                Thread dripper = new Thread(() -> drip(drip, dripping), "drip-" + port);
                dripper.setDaemon(true);
                dripper.start();
            }
            Thread.sleep(2000); // a few drips, and time for anything that would crash to do so

            assertThat(registerOverUdp(proxy)).as("REGISTER over UDP").startsWith("SIP/2.0 401");
            assertThat(registerOverTcp(proxy)).as("REGISTER over TCP").startsWith("SIP/2.0 401");
            assertThat(relay.command(Map.of("command", "ping"))).containsEntry("result", "pong");
            call.assertForwards();
            assertThat(proxy.adminWithToken("GET", "/actuator/health", null, null).body()).contains("\"status\":\"UP\"");
            assertThat(httpGet(relayHttp, "/actuator/health")).contains("\"status\":\"UP\"");
            assertThat(relay.alive()).as("relay process alive").isTrue();
            assertThat(uncaught).as("uncaught exceptions in the proxy's threads").isEmpty();
            root.detachAppender(proxyLog);
            assertThat(proxyLog.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .filter(e -> e.getThrowableProxy() != null || e.getFormattedMessage().contains("Exception"))
                    .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList())
                    .as("proxy log lines with an exception").isEmpty();
            assertThat(relay.output().lines().filter(l -> RELAY_STACK_LINE.matcher(l).find()
                    || l.contains("Exception in thread") || l.contains("OutOfMemoryError")).toList())
                    .as("relay log lines of an exception through our code").isEmpty();
        } finally {
            dripping.set(false);
            for (Socket s : idle) {
                s.close();
            }
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    private List<byte[]> malformedInputs() throws Exception {
        List<byte[]> inputs = new ArrayList<>();
        for (int size : new int[] {1, 12, 172, 1400, 65_507}) {
            byte[] noise = new byte[size];
            random.nextBytes(noise);
            inputs.add(noise);
        }
        String register = new RawRegister("alice", DOMAIN, 5999).request("");
        inputs.add(register.substring(0, register.length() / 2).getBytes(StandardCharsets.US_ASCII));
        inputs.add(register.replace("REGISTER sip:" + DOMAIN, "REGISTER sip:" + DOMAIN + ";".repeat(12_000))
                .getBytes(StandardCharsets.US_ASCII));
        inputs.add(register.replace("Content-Length: 0", "Content-Length: 99999999999999999999")
                .getBytes(StandardCharsets.US_ASCII));
        inputs.add("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        inputs.add("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        inputs.add("9999999999999999 d7:command5:offer4:sdp999999999:v=0e".getBytes(StandardCharsets.US_ASCII));
        inputs.add(clientHello());
        byte[] rtpLike = new byte[172];
        rtpLike[0] = (byte) 0x80; // an RTP header from a stranger: must not move a latched stream
        inputs.add(rtpLike);
        return inputs;
    }

    /** The bytes a TLS client sends first. */
    private static byte[] clientHello() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("127.0.0.1", 5061);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        byte[] hello = new byte[out.flip().remaining()];
        out.get(hello);
        return hello;
    }

    private static void sendAndClose(int port, byte[] input) {
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.getOutputStream().write(input);
            s.getOutputStream().flush();
        } catch (IOException closedOnUs) {
            // a server that closes on garbage is doing its job
        }
    }

    private static void drip(Socket socket, AtomicBoolean dripping) {
        try {
            OutputStream out = socket.getOutputStream();
            byte[] text = "INVITE sip:x SIP/2.0\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; dripping.get(); i = (i + 1) % text.length) {
                out.write(text[i]);
                out.flush();
                Thread.sleep(1000);
            }
        } catch (IOException | InterruptedException closed) {
            // closed by the server or at the end of the test
        }
    }

    private static String registerOverUdp(ProxyInstance proxy) {
        try (RawSip sip = new RawSip(proxy.sipPort())) {
            return sip.request(new RawRegister("alice", DOMAIN, sip.localPort()).request("")).orElse("(no answer)");
        }
    }

    private static String registerOverTcp(ProxyInstance proxy) throws IOException {
        try (Socket s = new Socket(LOOPBACK, proxy.sipPort())) {
            s.setSoTimeout(3000);
            String request = new RawRegister("alice", DOMAIN, s.getLocalPort()).request("")
                    .replace("SIP/2.0/UDP", "SIP/2.0/TCP");
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return readHead(s.getInputStream());
        }
    }

    private static String httpGet(int port, String path) throws IOException {
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.setSoTimeout(3000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    private static DatagramSocket udp() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        s.setSoTimeout(2000);
        return s;
    }

    /** A call on the relay through ng alone: the caller's and the callee's sockets, and the relay ports facing each. */
    private record Call(DatagramSocket caller, DatagramSocket callee, int callerFacing, int calleeFacing) {

        static Call set(RelayProcess relay, DatagramSocket caller, DatagramSocket callee) {
            Map<String, Object> offer = relay.command(Map.of("command", "offer", "call-id", "malformed-1",
                    "from-tag", "a", "sdp", sdp(caller.getLocalPort())));
            Map<String, Object> answer = relay.command(Map.of("command", "answer", "call-id", "malformed-1",
                    "from-tag", "a", "to-tag", "b", "sdp", sdp(callee.getLocalPort())));
            assertThat(offer).containsEntry("result", "ok");
            assertThat(answer).containsEntry("result", "ok");
            return new Call(caller, callee, port((String) answer.get("sdp")), port((String) offer.get("sdp")));
        }

        void assertForwards() throws IOException {
            assertThat(through(caller, callerFacing, callee)).as("RTP caller to callee").isTrue();
            assertThat(through(callee, calleeFacing, caller)).as("RTP callee to caller").isTrue();
        }

        private static boolean through(DatagramSocket from, int relayPort, DatagramSocket to) throws IOException {
            byte[] rtp = new byte[172];
            rtp[0] = (byte) 0x80;
            rtp[1] = 8;
            for (int attempt = 0; attempt < 5; attempt++) {
                rtp[3] = (byte) attempt;
                from.send(new DatagramPacket(rtp, rtp.length, LOOPBACK, relayPort));
                DatagramPacket got = new DatagramPacket(new byte[2048], 2048);
                try {
                    to.setSoTimeout(500);
                    to.receive(got);
                    if (got.getLength() == rtp.length && (got.getData()[0] & 0xff) == 0x80) {
                        return true;
                    }
                } catch (java.net.SocketTimeoutException retry) {
                    // the next attempt
                }
            }
            return false;
        }

        private static String sdp(int port) {
            return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio " + port + " RTP/AVP 8\r\na=sendrecv\r\n";
        }

        private static int port(String sdp) {
            Matcher m = MEDIA_PORT.matcher(sdp);
            assertThat(m.find()).as("m= line in " + sdp).isTrue();
            return Integer.parseInt(m.group(1));
        }
    }
}
