package io.pinhole.packaging;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * A pcap of G.711 A-law RTP (payload type 8, 20 ms, silence) for SIPp's {@code play_pcap_audio},
 * made in the test instead of shipped (the same as the proxy tests' support.RtpPcap: test classes
 * are not shared between modules). SIPp rewrites the addresses and ports when it plays it.
 */
final class RtpPcap {

    private static final int PAYLOAD = 160;

    private RtpPcap() {
    }

    static byte[] silence(Duration length) {
        int packets = (int) (length.toMillis() / 20);
        int frame = 14 + 20 + 8 + 12 + PAYLOAD;
        ByteBuffer out = ByteBuffer.allocate(24 + packets * (16 + frame));
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        for (int i = 0; i < packets; i++) {
            long micros = i * 20_000L;
            out.order(ByteOrder.LITTLE_ENDIAN);
            out.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(frame).putInt(frame);
            out.order(ByteOrder.BIG_ENDIAN);
            out.put(new byte[12]).putShort((short) 0x0800);                      // Ethernet
            int ipStart = out.position();
            out.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + 12 + PAYLOAD)).putShort((short) i)
                    .putShort((short) 0).put((byte) 64).put((byte) 17).putShort((short) 0)
                    .put(new byte[]{127, 0, 0, 1}).put(new byte[]{127, 0, 0, 1});  // IPv4
            out.putShort(ipStart + 10, checksum(out.array(), ipStart, 20));
            out.putShort((short) 6000).putShort((short) 6000).putShort((short) (8 + 12 + PAYLOAD)).putShort((short) 0);
            out.put((byte) 0x80).put((byte) 8).putShort((short) (i + 1)).putInt(i * PAYLOAD).putInt(0x5EED0001); // RTP
            for (int b = 0; b < PAYLOAD; b++) {
                out.put((byte) 0xD5); // A-law silence
            }
        }
        return out.array();
    }

    private static short checksum(byte[] bytes, int from, int length) {
        int sum = 0;
        for (int i = from; i < from + length; i += 2) {
            sum += ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }
}
