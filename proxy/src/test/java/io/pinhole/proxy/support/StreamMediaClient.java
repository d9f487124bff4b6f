package io.pinhole.proxy.support;

import io.pinhole.wire.stream.MediaFrames;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/**
 * What an edge agent does with a relay token, in a test: one TCP or TLS connection to the relay's
 * stream port (README "Media over TCP and TLS"), the hello, then RTP frames both ways. TLS trusts
 * any certificate (the relay's is self-signed in tests).
 */
public final class StreamMediaClient implements AutoCloseable {

    /** One frame read: its stream id and packet. */
    public record Frame(int streamId, byte[] packet) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private StreamMediaClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static StreamMediaClient connect(String host, int port, boolean tls) throws IOException {
        if (!tls) {
            return new StreamMediaClient(new Socket(host, port));
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{new X509TrustManager() {
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
            }}, null);
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port);
            socket.startHandshake();
            return new StreamMediaClient(socket);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Sends the hello; the relay's answer: "OK" or "ERR ...". */
    public String hello(String token) throws IOException {
        out.write(MediaFrames.hello(token));
        out.flush();
        Frame answer = read();
        if (answer == null || answer.streamId() != MediaFrames.CONTROL) {
            throw new IOException("no control answer to the hello");
        }
        return new String(answer.packet(), StandardCharsets.US_ASCII);
    }

    public void send(int streamId, byte[] packet) throws IOException {
        out.write(MediaFrames.frame(streamId, packet, 0, packet.length));
        out.flush();
    }

    /** The next frame, or null when none comes within the socket's timeout. */
    public Frame read() throws IOException {
        try {
            int length = in.readUnsignedShort();
            int streamId = in.readUnsignedByte();
            byte[] packet = new byte[length - 1];
            in.readFully(packet);
            return new Frame(streamId, packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** An RTP packet: PCMA (8), 160 bytes of {@code fill}, the given sequence number and SSRC. */
    public static byte[] rtp(int sequence, int ssrc, byte fill) {
        byte[] p = new byte[12 + 160];
        p[0] = (byte) 0x80;
        p[1] = 8;
        p[2] = (byte) (sequence >> 8);
        p[3] = (byte) sequence;
        int timestamp = sequence * 160;
        p[4] = (byte) (timestamp >> 24);
        p[5] = (byte) (timestamp >> 16);
        p[6] = (byte) (timestamp >> 8);
        p[7] = (byte) timestamp;
        p[8] = (byte) (ssrc >> 24);
        p[9] = (byte) (ssrc >> 16);
        p[10] = (byte) (ssrc >> 8);
        p[11] = (byte) ssrc;
        java.util.Arrays.fill(p, 12, p.length, fill);
        return p;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
