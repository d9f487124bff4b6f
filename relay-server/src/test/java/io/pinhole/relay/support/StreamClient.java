package io.pinhole.relay.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A phone's media connection to the relay for tests, written with JDK sockets from the README's
 * wire format (not from the relay's codec): 16-bit length, stream id, packet; stream 255 is control.
 */
public final class StreamClient implements AutoCloseable {

    public static final int CONTROL = 255;

    /** One frame as read: its stream id and payload; null payload = connection closed. */
    public record Frame(int stream, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.US_ASCII);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final byte[] pending = new byte[1 << 17];
    private int buffered;
    private final OutputStream out;
    private int seq;

    private StreamClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(200);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static StreamClient tcp(int port) throws IOException {
        return new StreamClient(new Socket("127.0.0.1", port));
    }

    /** A client whose receive buffer is small, so a relay writing to it fills up fast. */
    public static StreamClient tcpSmallReceiveBuffer(int port, int bytes) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(bytes);
        s.connect(new InetSocketAddress("127.0.0.1", port));
        return new StreamClient(s);
    }

    /** TLS, trusting whatever certificate the relay shows (the token authenticates the client). */
    public static StreamClient tls(int port) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        return new StreamClient(s);
    }

    /** Sends the hello and returns the relay's answer ("OK", or "ERR reason"), or null when it closed. */
    public String hello(String token) throws IOException {
        send(CONTROL, token.getBytes(StandardCharsets.US_ASCII));
        Frame f = read(3000);
        return f == null || f.payload() == null ? null : f.text();
    }

    /** The certificate the relay showed (TLS clients only). */
    public X509Certificate peerCertificate() throws IOException {
        return (X509Certificate) ((SSLSocket) socket).getSession().getPeerCertificates()[0];
    }

    public void send(int stream, byte[] payload) throws IOException {
        byte[] frame = new byte[3 + payload.length];
        ByteBuffer.wrap(frame).putShort((short) (payload.length + 1)).put((byte) stream).put(payload);
        out.write(frame);
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One 172-byte G.711-like RTP packet on stream {@code stream}. */
    public void sendRtp(int stream, int ssrc) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(172);
        b.put((byte) 0x80).put((byte) 8).putShort((short) seq++).putInt(seq * 160).putInt(ssrc);
        send(stream, b.array());
    }

    /** The next frame; null after the timeout; a frame with a null payload when the relay closed. */
    public Frame read(long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (true) {
            if (buffered >= 2) {
                int length = ((pending[0] & 0xff) << 8) | (pending[1] & 0xff);
                if (buffered >= 2 + length) {
                    Frame f = new Frame(pending[2] & 0xff, Arrays.copyOfRange(pending, 3, 2 + length));
                    System.arraycopy(pending, 2 + length, pending, 0, buffered - 2 - length);
                    buffered -= 2 + length;
                    return f;
                }
            }
            if (System.nanoTime() >= deadline) {
                return null;
            }
            int n;
            try {
                n = in.read(pending, buffered, pending.length - buffered);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return new Frame(-1, null); // reset by the relay
            }
            if (n < 0) {
                return new Frame(-1, null);
            }
            buffered += n;
        }
    }

    /** Media frames of {@code stream} read until {@code count} arrived or the timeout passed. */
    public int receive(int stream, int count, long timeoutMillis) throws IOException {
        int got = 0;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (got < count && System.nanoTime() < deadline) {
            Frame f = read(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (f == null) {
                break;
            }
            if (f.payload() == null) {
                break;
            }
            if (f.stream() == stream) {
                got++;
            }
        }
        return got;
    }

    /** Whether the relay closes the connection within the timeout (frames before that are skipped). */
    public boolean closedWithin(long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            Frame f = read(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (f != null && f.payload() == null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A TCP port nothing listens on right now (bind and close: a race these tests accept). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
