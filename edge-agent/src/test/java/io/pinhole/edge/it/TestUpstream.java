package io.pinhole.edge.it;

import io.pinhole.edge.sip.SipMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The proxy's end of the agent's connection, played by the test over real TLS: accepts the
 * agent's connection, hands the test each SIP message it sends (answering CRLFCRLF keepalives with
 * CRLF, as the proxy's stack does), and sends what the test writes.
 */
final class TestUpstream implements AutoCloseable {

    private final ServerSocket server;
    private final BlockingQueue<SipMessage> received = new LinkedBlockingQueue<>();
    final AtomicInteger pings = new AtomicInteger();
    private volatile Socket socket;

    TestUpstream(SSLContext tls) throws IOException {
        server = tls.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "test-upstream");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        try {
            while (!server.isClosed()) {
                Socket s = server.accept();
                socket = s;
                read(s);
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    private void read(Socket s) {
        try (InputStream in = s.getInputStream()) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int crlfs = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                if (head.size() == 0 && (b == '\r' || b == '\n')) {
                    if (++crlfs == 4) {
                        pings.incrementAndGet();
                        write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        crlfs = 0;
                    }
                    continue;
                }
                crlfs = 0;
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    String text = new String(h, StandardCharsets.UTF_8);
                    int length = 0;
                    for (String line : text.split("\r\n")) {
                        if (line.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).strip());
                        }
                    }
                    byte[] body = in.readNBytes(length);
                    head.write(body);
                    received.add(SipMessage.parse(head.toByteArray()));
                    head.reset();
                }
            }
        } catch (IOException e) {
            // connection gone
        }
    }

    /** The next message from the agent with this method (request) or CSeq method (response), skipping others. */
    SipMessage next(String method, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            SipMessage m = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
            if (m == null) {
                throw new AssertionError("no " + method + " from the agent within " + within);
            }
            if (m.method().equals(method)) {
                return m;
            }
        }
    }

    void send(String message) throws IOException {
        byte[] text = message.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        write(SipMessage.parse(text).toBytes());
    }

    void send(SipMessage message) throws IOException {
        write(message.toBytes());
    }

    private synchronized void write(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** Drops the agent's connection (the proxy went away). */
    void dropConnection() throws IOException {
        socket.close();
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket s = socket;
        if (s != null) {
            s.close();
        }
    }
}
