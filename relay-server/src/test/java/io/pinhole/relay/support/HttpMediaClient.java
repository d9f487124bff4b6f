package io.pinhole.relay.support;

import io.pinhole.wire.stream.HttpMedia;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The strict-firewall phone's agent for tests: one keep-alive HTTP/1.1 connection on a raw socket
 * (to the relay, or to a forward proxy with absolute-form request targets), speaking the README's
 * protocol. Counts the bytes it writes and reads, so a test can tell what a packet costs on the wire.
 */
public final class HttpMediaClient implements AutoCloseable {

    /** A response: status, and the frames of its body (or its text for a refusal). */
    public record Response(int status, byte[] body, boolean close) {
        public List<HttpMedia.Frame> frames() {
            return HttpMedia.frames(body, 2048);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8).trim();
        }
    }

    private final int port;
    private final boolean tls;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean peerClosing;
    private int connections;
    private int requestsOnConnection;
    private byte[] lastRequest;
    private final String target;
    private final String host;
    private final String token;
    private long written;
    private long read;
    private int seq;

    /**
     * @param proxyPort 0 = straight to the relay; else through the forward proxy on that port
     */
    public HttpMediaClient(int relayPort, int proxyPort, String token) throws IOException {
        this(relayPort, proxyPort, token, false);
    }

    /** HTTPS straight to the relay's TLS port, trusting whatever certificate it shows. */
    public static HttpMediaClient tls(int tlsPort, String token) throws IOException {
        return new HttpMediaClient(tlsPort, 0, token, true);
    }

    private HttpMediaClient(int relayPort, int proxyPort, String token, boolean tls) throws IOException {
        this.port = proxyPort == 0 ? relayPort : proxyPort;
        this.tls = tls;
        connect();
        this.host = "127.0.0.1:" + relayPort;
        this.target = proxyPort == 0 ? HttpMedia.PATH : "http://" + host + HttpMedia.PATH;
        this.token = token;
    }

    private void connect() throws IOException {
        socket = tls ? trustingTls().createSocket("127.0.0.1", port) : new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(3000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        peerClosing = false;
        requestsOnConnection = 0;
        connections++;
    }

    private static SSLSocketFactory trustingTls() throws IOException {
        try {
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
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Connections opened so far (1 while the peer keeps the first alive). */
    public int connections() {
        return connections;
    }

    /** A 172-byte G.711-like RTP packet (PT 8) with this SSRC. */
    public byte[] rtp(int ssrc) {
        ByteBuffer b = ByteBuffer.allocate(172);
        b.put((byte) 0x80).put((byte) 8).putShort((short) seq++).putInt(seq * 160).putInt(ssrc);
        return b.array();
    }

    /** POSTs frames; the response carries what was queued for us. */
    public Response post(List<HttpMedia.Frame> frames) throws IOException {
        sendPost(frames);
        return readResponse();
    }

    /** Writes a POST without waiting for its response. */
    public void sendPost(List<HttpMedia.Frame> frames) throws IOException {
        byte[] body = HttpMedia.body(frames);
        send("POST " + target + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: " + HttpMedia.CONTENT_TYPE + "\r\nContent-Length: " + body.length + "\r\n\r\n",
                body);
    }

    /** The seed's form: the frames base64url in a cookie of a GET. */
    public Response getWithCookie(List<HttpMedia.Frame> frames) throws IOException {
        return exchange("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                + "\r\nCookie: " + HttpMedia.COOKIE + "=" + HttpMedia.cookie(HttpMedia.body(frames)) + "\r\n\r\n",
                new byte[0]);
    }

    /** The long poll: an empty GET. */
    public Response poll() throws IOException {
        sendPoll();
        return readResponse();
    }

    /** Writes a poll without waiting for its response (held by the relay until media or the hold). */
    public void sendPoll() throws IOException {
        send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                + "\r\n\r\n", new byte[0]);
    }

    /** Any request text, for the refusal tests. */
    public Response raw(String head, byte[] body) throws IOException {
        return exchange(head, body);
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        written += bytes.length;
    }

    private Response exchange(String head, byte[] body) throws IOException {
        send(head, body);
        return readResponse();
    }

    /** Opens a new connection first when the last response said the peer closes this one. */
    private void send(String head, byte[] body) throws IOException {
        if (peerClosing) {
            socket.close();
            connect();
        }
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes(h);
        req.writeBytes(body);
        lastRequest = req.toByteArray();
        requestsOnConnection++;
        sendRaw(lastRequest);
    }

    /** Reads one response (Content-Length framed, as the relay sends them). */
    public Response readResponse() throws IOException {
        String status = line();
        if (status == null && requestsOnConnection > 1) {
            // a forward proxy may close a kept-alive client connection without saying so: as any
            // HTTP client, send the request again on a new connection
            socket.close();
            connect();
            requestsOnConnection++;
            sendRaw(lastRequest);
            status = line();
        }
        if (status == null) {
            throw new IOException("connection closed before a response");
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        int length = 0;
        boolean close = false;
        for (String l = line(); l != null && !l.isEmpty(); l = line()) {
            String lower = l.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(l.substring(15).trim());
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        byte[] b = in.readNBytes(length);
        read += b.length;
        peerClosing = close;
        return new Response(code, b, close);
    }

    private String line() throws IOException {
        ByteArrayOutputStream l = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1; c = in.read()) {
            read++;
            if (c == '\n') {
                byte[] s = l.toByteArray();
                int n = s.length > 0 && s[s.length - 1] == '\r' ? s.length - 1 : s.length;
                return new String(s, 0, n, StandardCharsets.ISO_8859_1);
            }
            l.write(c);
        }
        return l.size() == 0 ? null : l.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the peer closes the connection within the time (reads and drops what comes first). */
    public boolean closedWithin(long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        try {
            while (in.read() != -1) {
                read++;
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    public long bytesWritten() {
        return written;
    }

    public long bytesRead() {
        return read;
    }

    /** Frames for one packet on stream 0. */
    public static List<HttpMedia.Frame> one(byte[] packet) {
        List<HttpMedia.Frame> f = new ArrayList<>();
        f.add(new HttpMedia.Frame(0, packet));
        return f;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
