package io.pinhole.wire.hep;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends HEP packets to the collector from one thread of its own, so the SIP or media threads only encode
 * and enqueue: a slow or absent collector never delays a call. The queue is bounded; when it is
 * full (collector down over TCP, or capture slower than the traffic) new packets are dropped and
 * counted, as a capture agent should rather than grow without bound. Over TCP a broken connection
 * is re-opened with back-off (1 s doubling to 30 s); one log line per connection change, none per packet.
 */
public final class HepExporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HepExporter.class);
    static final int QUEUE = 8192;
    private static final byte[] STOP = new byte[0];

    private final HepTarget target;
    private final String what;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread sender;
    private volatile boolean running = true;

    /**
     * @param what     names this capture in the log ("SIP capture", "RTCP capture")
     * @param captured what goes to the collector, for the start-up line ("every SIP message in and out")
     */
    public HepExporter(HepTarget target, String what, String captured) {
        this.target = target;
        this.what = what;
        this.sender = new Thread(this::run, "hep-export");
        sender.setDaemon(true);
        sender.start();
        LOG.info("{}: {} goes as HEP v3 to {}:{}:{} (capture id {})", what, captured,
                target.transport(), target.host(), target.port(), target.captureId());
    }

    /** Queues a packet; never blocks. */
    public void send(byte[] packet) {
        if (!running || !queue.offer(packet)) {
            dropped.incrementAndGet();
        }
    }

    public long sent() {
        return sent.get();
    }

    public long dropped() {
        return dropped.get();
    }

    private void run() {
        long backoffMillis = 1000;
        while (running) {
            try (Channel channel = open()) {
                backoffMillis = 1000;
                while (running) {
                    byte[] packet = queue.poll(1, TimeUnit.SECONDS);
                    if (packet == STOP) {
                        return;
                    }
                    if (packet != null) {
                        channel.write(packet);
                        sent.incrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                LOG.warn("{}: HEP collector {}:{}:{} unreachable ({}); retrying in {} s", what, target.transport(),
                        target.host(), target.port(), e.getMessage(), backoffMillis / 1000);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException stop) {
                    return;
                }
                backoffMillis = Math.min(30_000, backoffMillis * 2);
            }
        }
    }

    private Channel open() throws IOException {
        InetSocketAddress collector = new InetSocketAddress(target.host(), target.port());
        if (collector.isUnresolved()) {
            throw new IOException("cannot resolve " + target.host());
        }
        if (target.transport().equals("udp")) {
            DatagramSocket socket = new DatagramSocket();
            return new Channel() {
                @Override
                public void write(byte[] packet) throws IOException {
                    socket.send(new DatagramPacket(packet, packet.length, collector));
                }

                @Override
                public void close() {
                    socket.close();
                }
            };
        }
        Socket socket = new Socket();
        socket.connect(collector, 2000);
        socket.setTcpNoDelay(true);
        OutputStream out = socket.getOutputStream();
        LOG.info("{}: connected to HEP collector {}:{} over TCP", what, target.host(), target.port());
        return new Channel() {
            @Override
            public void write(byte[] packet) throws IOException {
                out.write(packet); // HEP3 carries its own length: packets follow each other on the stream
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }

    private interface Channel extends AutoCloseable {
        void write(byte[] packet) throws IOException;

        @Override
        void close() throws IOException;
    }

    @Override
    public void close() {
        running = false;
        queue.clear();
        queue.offer(STOP);
        sender.interrupt();
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("{} stopped: {} packets sent to the collector, {} dropped", what, sent.get(), dropped.get());
    }
}
