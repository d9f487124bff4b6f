package io.pinhole.relay.tcp;

import io.netty.buffer.ByteBuf;
import io.pinhole.relay.media.Endpoint;
import io.pinhole.relay.media.Forwarding;
import io.pinhole.relay.media.MediaEgress;
import java.util.Arrays;

/**
 * The media frames of one read (TCP/TLS) or one request (HTTP), forwarded together on the call's
 * loop: one task per read batch, not per packet, when the connection lives on another loop.
 */
final class ForwardBatch implements Runnable {

    private Endpoint[] from = new Endpoint[8];
    private boolean[] rtcp = new boolean[8];
    private ByteBuf[] packets = new ByteBuf[8];
    private int size;

    void add(Endpoint e, boolean isRtcp, ByteBuf packet) {
        if (size == packets.length) {
            from = Arrays.copyOf(from, size * 2);
            rtcp = Arrays.copyOf(rtcp, size * 2);
            packets = Arrays.copyOf(packets, size * 2);
        }
        from[size] = e;
        rtcp[size] = isRtcp;
        packets[size] = packet;
        size++;
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        // the egresses written to, flushed once each at the end (a call has a few streams)
        MediaEgress[] written = new MediaEgress[4];
        int n = 0;
        for (int i = 0; i < size; i++) {
            MediaEgress egress = Forwarding.forward(from[i], packets[i], rtcp[i]);
            Forwarding.received(from[i], now);
            if (egress != null && indexOf(written, n, egress) < 0) {
                if (n == written.length) {
                    written = Arrays.copyOf(written, n * 2);
                }
                written[n++] = egress;
            }
        }
        for (int i = 0; i < n; i++) {
            written[i].flush(now);
        }
    }

    private static int indexOf(MediaEgress[] egresses, int n, MediaEgress e) {
        for (int i = 0; i < n; i++) {
            if (egresses[i] == e) {
                return i;
            }
        }
        return -1;
    }

    void release() {
        for (int i = 0; i < size; i++) {
            packets[i].release();
        }
    }
}
