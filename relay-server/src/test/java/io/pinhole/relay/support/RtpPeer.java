package io.pinhole.relay.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** A phone's media socket for tests: sends numbered RTP packets and receives them with a timeout. */
public final class RtpPeer implements AutoCloseable {

    private final DatagramSocket socket;
    private final int ssrc;
    private int seq;

    public RtpPeer(int ssrc) throws IOException {
        this(InetAddress.getLoopbackAddress(), ssrc);
    }

    public RtpPeer(InetAddress bind, int ssrc) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(bind, 0));
        this.socket.setSoTimeout(200);
        this.ssrc = ssrc;
    }

    public int port() {
        return socket.getLocalPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Sends one 172-byte G.711-like RTP packet (PT 8). */
    public void send(InetSocketAddress to) throws IOException {
        send(to, ssrc);
    }

    public void send(InetSocketAddress to, int withSsrc) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(172);
        b.put((byte) 0x80).put((byte) 8).putShort((short) seq++).putInt(seq * 160).putInt(withSsrc);
        socket.send(new DatagramPacket(b.array(), b.capacity(), to));
    }

    public void sendRaw(InetSocketAddress to, byte[] payload) throws IOException {
        socket.send(new DatagramPacket(payload, payload.length, to));
    }

    /** Receives datagrams until {@code count} arrived or the timeout passed; returns how many arrived. */
    public int receive(int count, long timeoutMillis) throws IOException {
        int got = 0;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        byte[] buf = new byte[2048];
        while (got < count && System.nanoTime() < deadline) {
            try {
                socket.receive(new DatagramPacket(buf, buf.length));
                got++;
            } catch (SocketTimeoutException e) {
                // keep waiting until the deadline
            }
        }
        return got;
    }

    /** The next datagram, or null after the timeout. */
    public DatagramPacket receiveOne(long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        byte[] buf = new byte[2048];
        while (System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                return p;
            } catch (SocketTimeoutException e) {
                // keep waiting until the deadline
            }
        }
        return null;
    }

    @Override
    public void close() {
        socket.close();
    }
}
