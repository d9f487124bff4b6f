package io.pinhole.relay.conference;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A phone in a conference for tests: sends a tone as 20 ms RTP frames of its codec, keys RFC 4733
 * digits, and records every RTP packet it receives (header fields and decoded samples).
 */
final class ConferencePhone implements AutoCloseable {

    record Received(int seq, long timestamp, int ssrc, int payloadType, long atNanos, short[] samples) {
    }

    private final DatagramSocket socket;
    private final G711 codec;
    private final double hertz;
    private final int ssrc;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Thread receiver;
    private final List<Received> received = new ArrayList<>();
    private volatile InetSocketAddress relay;
    private volatile boolean sending;
    private int seq = 1000;
    private long samplesSent;
    private int eventTimestamp = 100_000;

    ConferencePhone(G711 codec, double hertz, int ssrc) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.socket.setSoTimeout(100);
        this.codec = codec;
        this.hertz = hertz;
        this.ssrc = ssrc;
        this.receiver = new Thread(this::receiveLoop, "phone-" + hertz);
        this.receiver.setDaemon(true);
        this.receiver.start();
    }

    String offer(boolean withEvents, String direction) {
        int pt = codec.payloadType();
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + socket.getLocalPort() + " RTP/AVP " + pt + (withEvents ? " 101" : "") + "\r\n"
                + "a=rtpmap:" + pt + " " + codec.encoding() + "/8000\r\n"
                + (withEvents ? "a=rtpmap:101 telephone-event/8000\r\n" : "")
                + "a=" + direction + "\r\n";
    }

    void relay(InetSocketAddress to) {
        this.relay = to;
    }

    /** Starts sending the tone, one frame every 20 ms. */
    void startTone() {
        sending = true;
        timer.scheduleAtFixedRate(this::sendFrame, 0, 20, TimeUnit.MILLISECONDS);
    }

    void stopTone() {
        sending = false;
    }

    private synchronized void sendFrame() {
        if (!sending) {
            return;
        }
        short[] pcm = Goertzel.sine(hertz, 8000, samplesSent, 160);
        byte[] packet = new byte[172];
        ByteBuffer b = ByteBuffer.wrap(packet);
        b.put((byte) 0x80).put((byte) codec.payloadType()).putShort((short) seq++).putInt((int) samplesSent)
                .putInt(ssrc);
        for (short s : pcm) {
            b.put(codec.encode(s));
        }
        samplesSent += 160;
        send(packet);
    }

    /** Keys digits as RFC 4733 events: a start packet and three end packets each. */
    synchronized void key(String digits) throws InterruptedException {
        for (char c : digits.toCharArray()) {
            int event = c == '*' ? 10 : c == '#' ? 11 : c - '0';
            eventTimestamp += 1600;
            for (int i = 0; i < 4; i++) {
                byte[] packet = new byte[16];
                ByteBuffer b = ByteBuffer.wrap(packet);
                b.put((byte) 0x80).put((byte) (101 | (i == 0 ? 0x80 : 0))).putShort((short) seq++)
                        .putInt(eventTimestamp).putInt(ssrc);
                b.put((byte) event).put((byte) (i == 0 ? 10 : 0x80 | 10)).putShort((short) (400 + i * 160));
                send(packet);
            }
            Thread.sleep(30);
        }
    }

    private void send(byte[] packet) {
        InetSocketAddress to = relay;
        if (to == null) {
            return;
        }
        try {
            socket.send(new DatagramPacket(packet, packet.length, to));
        } catch (IOException e) {
            // the test asserts on what arrives
        }
    }

    private void receiveLoop() {
        byte[] buf = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            if (p.getLength() < 12) {
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(buf, 0, p.getLength());
            b.get();
            int pt = b.get() & 0x7F;
            int sq = b.getShort() & 0xFFFF;
            long ts = b.getInt() & 0xFFFFFFFFL;
            int sc = b.getInt();
            G711 c = G711.ofPayloadType(pt);
            short[] samples = new short[p.getLength() - 12];
            if (c != null) {
                c.decode(buf, 12, samples, samples.length);
            }
            synchronized (received) {
                received.add(new Received(sq, ts, sc, pt, System.nanoTime(), samples));
            }
        }
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    void clearReceived() {
        synchronized (received) {
            received.clear();
        }
    }

    int localPort() {
        return socket.getLocalPort();
    }

    /** The received samples of the packets in order, concatenated. */
    static short[] samples(List<Received> packets) {
        short[] out = new short[packets.size() * 160];
        int at = 0;
        for (Received r : packets) {
            System.arraycopy(r.samples(), 0, out, at, Math.min(160, r.samples().length));
            at += 160;
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        socket.close();
    }
}
