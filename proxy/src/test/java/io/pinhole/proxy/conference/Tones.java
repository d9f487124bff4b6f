package io.pinhole.proxy.conference;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The audio side of the conference test: G.711 A-law, tone and RFC 4733 pcaps for SIPp's
 * {@code play_pcap_audio} (SIPp rewrites addresses and ports), WAV reading, and Goertzel's
 * algorithm to tell which tones a stretch of audio holds (public for the latter two: the hole
 * punching test reads its baresip recordings with them).
 */
public final class Tones {

    public static final int RATE = 8000;
    private static final int FRAME = 160;

    private Tones() {
    }

    /** One RTP packet to put in a pcap: at {@code millis} from the start. */
    record Rtp(long millis, int payloadType, boolean marker, int sequence, long timestamp, byte[] payload) {
    }

    /** A-law RTP (PT 8, 20 ms) carrying a {@code hz} tone for {@code seconds}. */
    static List<Rtp> tone(int hz, int seconds, int amplitude) {
        List<Rtp> packets = new ArrayList<>();
        int frames = seconds * 50;
        for (int f = 0; f < frames; f++) {
            byte[] payload = new byte[FRAME];
            for (int i = 0; i < FRAME; i++) {
                int n = f * FRAME + i;
                payload[i] = alaw((short) (amplitude * Math.sin(2 * Math.PI * hz * n / RATE)));
            }
            packets.add(new Rtp(f * 20L, 8, f == 0, f + 1, (long) f * FRAME, payload));
        }
        return packets;
    }

    /**
     * Half a second of A-law silence (the relay latches the party's address on it), then each
     * digit as RFC 4733 events on {@code pt}: three updates 50 ms apart and three end packets,
     * 150 ms between digits, as phones send them.
     */
    static List<Rtp> digits(String digits, int pt) {
        List<Rtp> packets = new ArrayList<>();
        int seq = 1;
        long at = 0;
        byte[] silence = new byte[FRAME];
        java.util.Arrays.fill(silence, (byte) 0xD5);
        for (int f = 0; f < 25; f++, at += 20) {
            packets.add(new Rtp(at, 8, f == 0, seq++, at / 20 * FRAME, silence));
        }
        for (char c : digits.toCharArray()) {
            int event = c == '*' ? 10 : c == '#' ? 11 : c - '0';
            long start = at / 20 * FRAME; // the event's timestamp follows the clock, as the audio's would
            for (int i = 1; i <= 3; i++, at += 50) {
                packets.add(new Rtp(at, pt, i == 1, seq++, start, event(event, false, i * 400)));
            }
            for (int i = 0; i < 3; i++, at += 20) {
                packets.add(new Rtp(at, pt, false, seq++, start, event(event, true, 1600)));
            }
            at += 150;
        }
        return packets;
    }

    private static byte[] event(int event, boolean end, int duration) {
        return new byte[]{(byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
    }

    /** A pcap (Ethernet, IPv4, UDP 6000 → 6000) of the packets, for {@code play_pcap_audio}. */
    static Path pcap(List<Rtp> packets, String name) throws IOException {
        int size = 24;
        for (Rtp p : packets) {
            size += 16 + 14 + 20 + 8 + 12 + p.payload().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        for (Rtp p : packets) {
            int udp = 8 + 12 + p.payload().length;
            int frame = 14 + 20 + udp;
            long micros = p.millis() * 1000;
            out.order(ByteOrder.LITTLE_ENDIAN);
            out.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(frame).putInt(frame);
            out.order(ByteOrder.BIG_ENDIAN);
            out.put(new byte[12]).putShort((short) 0x0800);
            int ip = out.position();
            out.put((byte) 0x45).put((byte) 0).putShort((short) (20 + udp)).putShort((short) p.sequence())
                    .putShort((short) 0).put((byte) 64).put((byte) 17).putShort((short) 0)
                    .put(new byte[]{127, 0, 0, 1}).put(new byte[]{127, 0, 0, 1});
            out.putShort(ip + 10, checksum(out.array(), ip));
            out.putShort((short) 6000).putShort((short) 6000).putShort((short) udp).putShort((short) 0);
            out.put((byte) 0x80).put((byte) ((p.marker() ? 0x80 : 0) | p.payloadType())).putShort((short) p.sequence())
                    .putInt((int) p.timestamp()).putInt(0x5EED0000 | name.hashCode() & 0xffff);
            out.put(p.payload());
        }
        Path file = io.pinhole.testsupport.Scratch.file(name, ".pcap");
        Files.write(file, out.array());
        return file;
    }

    private static short checksum(byte[] bytes, int from) {
        int sum = 0;
        for (int i = from; i < from + 20; i += 2) {
            sum += ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }

    /** G.711 A-law encoding of one linear sample (ITU-T G.711, as Sun's g711.c). */
    static byte alaw(short sample) {
        int pcm = sample >> 3;
        int mask;
        if (pcm >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            pcm = -pcm - 1;
        }
        int[] segEnd = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
        int seg = 0;
        while (seg < 8 && pcm > segEnd[seg]) {
            seg++;
        }
        if (seg >= 8) {
            return (byte) (0x7F ^ mask);
        }
        int aval = seg << 4;
        aval |= seg < 2 ? (pcm >> 1) & 0x0F : (pcm >> seg) & 0x0F;
        return (byte) (aval ^ mask);
    }

    static short alawDecode(byte code) {
        int a = (code & 0xff) ^ 0x55;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        switch (seg) {
            case 0 -> t += 8;
            case 1 -> t += 0x108;
            default -> {
                t += 0x108;
                t <<= seg - 1;
            }
        }
        return (short) ((a & 0x80) != 0 ? t : -t);
    }

    static double[] decode(byte[] alaw) {
        double[] samples = new double[alaw.length];
        for (int i = 0; i < alaw.length; i++) {
            samples[i] = alawDecode(alaw[i]);
        }
        return samples;
    }

    /** The 16-bit mono samples of a WAV file (its "data" chunk, wherever it is). */
    public static double[] wav(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        in.position(12);
        while (in.remaining() >= 8) {
            byte[] id = new byte[4];
            in.get(id);
            int length = in.getInt();
            if (new String(id, java.nio.charset.StandardCharsets.US_ASCII).equals("data")) {
                int n = Math.min(length, in.remaining()) / 2;
                double[] samples = new double[n];
                for (int i = 0; i < n; i++) {
                    samples[i] = in.getShort();
                }
                return samples;
            }
            in.position(in.position() + length + (length & 1));
        }
        throw new IOException("no data chunk in " + file);
    }

    /**
     * The share of the stretch's energy at {@code hz} (Goertzel): about 1 for a pure tone, 1/n for
     * each of n equal tones, near 0 for a frequency that is not there; 0 for silence.
     */
    public static double share(double[] samples, int from, int length, int hz) {
        double coefficient = 2 * Math.cos(2 * Math.PI * hz / RATE);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        for (int i = from; i < from + length; i++) {
            double s = samples[i] + coefficient * s1 - s2;
            s2 = s1;
            s1 = s;
            energy += samples[i] * samples[i];
        }
        if (energy < length * 4.0) { // below ~2 LSB RMS: silence
            return 0;
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return 2 * power / (length * energy);
    }
}
