package io.pinhole.edge.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One end of a call's audio: a UDP socket that sends G.711-sized RTP (172 bytes, PT 8) with its
 * own SSRC and counts the other end's packets (172 bytes, another SSRC), so a packet that only
 * came back from where it was sent is not counted.
 */
final class RtpEnd implements AutoCloseable {

    static final int PACKET = 172;

    private final DatagramSocket socket;
    private final int ssrc = ThreadLocalRandom.current().nextInt();
    final AtomicInteger received = new AtomicInteger();
    /** One-way delay of each packet received, microseconds (sender and receiver share this JVM's clock). */
    final java.util.List<Long> delaysMicros = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final Thread reader;

    RtpEnd() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        reader = new Thread(this::read, "rtp-end");
        reader.setDaemon(true);
        reader.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void read() {
        byte[] buf = new byte[2048];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                if (p.getLength() == PACKET && (buf[0] & 0xC0) == 0x80 && ByteBuffer.wrap(buf, 8, 4).getInt() != ssrc) {
                    received.incrementAndGet();
                    delaysMicros.add((System.nanoTime() - ByteBuffer.wrap(buf, 12, 8).getLong()) / 1000);
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Sends {@code count} packets, one every {@code gapMillis}. */
    void send(InetSocketAddress to, int count, int gapMillis) throws IOException, InterruptedException {
        ByteBuffer b = ByteBuffer.allocate(PACKET);
        for (int i = 0; i < count; i++) {
            b.clear();
            b.put((byte) 0x80).put((byte) 8).putShort((short) i).putInt(i * 160).putInt(ssrc).putLong(System.nanoTime());
            while (b.hasRemaining()) {
                b.put((byte) 0xD5);
            }
            socket.send(new DatagramPacket(b.array(), PACKET, to));
            Thread.sleep(gapMillis);
        }
    }

    /** The p-th percentile (0-100) of the one-way delays, milliseconds. */
    double percentileMillis(double p) {
        java.util.List<Long> d;
        synchronized (delaysMicros) {
            d = new java.util.ArrayList<>(delaysMicros);
        }
        if (d.isEmpty()) {
            return Double.NaN;
        }
        java.util.Collections.sort(d);
        return d.get((int) Math.min(d.size() - 1, Math.round(p / 100 * (d.size() - 1)))) / 1000.0;
    }

    @Override
    public void close() {
        socket.close();
    }
}
