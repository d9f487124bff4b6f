package io.pinhole.relay.conference;

/**
 * The two G.711 codecs (ITU-T G.711, the reference algorithm of Sun's {@code g711.c}), table
 * driven: decoding is one array read per sample, encoding one read in a 64 Ki table indexed by
 * the 16-bit sample, so the mixer's hot path neither branches per segment nor allocates. The
 * tables are built once per class (constants, 2 × 64 KiB + 2 × 512 bytes).
 */
public enum G711 {

    PCMU(0, "PCMU"),
    PCMA(8, "PCMA");

    private final int payloadType;
    private final String encoding;
    private final short[] decodeTable = new short[256];
    private final byte[] encodeTable = new byte[65536];

    G711(int payloadType, String encoding) {
        this.payloadType = payloadType;
        this.encoding = encoding;
        for (int b = 0; b < 256; b++) {
            decodeTable[b] = (short) (payloadType == 0 ? ulawToLinear(b) : alawToLinear(b));
        }
        for (int s = 0; s < 65536; s++) {
            short sample = (short) s;
            encodeTable[s] = (byte) (payloadType == 0 ? linearToUlaw(sample) : linearToAlaw(sample));
        }
    }

    /** The static RTP payload type (RFC 3551): 0 for PCMU, 8 for PCMA. */
    public int payloadType() {
        return payloadType;
    }

    /** The rtpmap encoding name. */
    public String encoding() {
        return encoding;
    }

    public short decode(byte code) {
        return decodeTable[code & 0xFF];
    }

    public byte encode(int sample) {
        return encodeTable[sample & 0xFFFF];
    }

    /** Decodes {@code n} codes from {@code in[offset..]} into {@code out[0..n)}. */
    public void decode(byte[] in, int offset, short[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = decodeTable[in[offset + i] & 0xFF];
        }
    }

    /** The codec for a static payload type, or null for any other. */
    public static G711 ofPayloadType(int pt) {
        return pt == 0 ? PCMU : pt == 8 ? PCMA : null;
    }

    private static final int BIAS = 0x84;
    private static final int CLIP = 32635;

    private static int segment(int value, int[] ends) {
        for (int i = 0; i < ends.length; i++) {
            if (value <= ends[i]) {
                return i;
            }
        }
        return ends.length;
    }

    /** In a holder: an enum's own static arrays are not yet set while its constants are built. */
    private static final class Segments {
        static final int[] ULAW_ENDS = {0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF, 0x3FFF, 0x7FFF};
        static final int[] ALAW_ENDS = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
    }

    static int linearToUlaw(short sample) {
        int pcm = sample;
        int mask;
        if (pcm < 0) {
            pcm = -pcm;
            mask = 0x7F;
        } else {
            mask = 0xFF;
        }
        if (pcm > CLIP) {
            pcm = CLIP;
        }
        pcm += BIAS;
        int seg = segment(pcm, Segments.ULAW_ENDS);
        if (seg >= 8) {
            return 0x7F ^ mask;
        }
        return ((seg << 4) | ((pcm >> (seg + 3)) & 0xF)) ^ mask;
    }

    static int ulawToLinear(int code) {
        int u = ~code & 0xFF;
        int t = ((u & 0x0F) << 3) + BIAS;
        t <<= (u & 0x70) >> 4;
        return (u & 0x80) != 0 ? BIAS - t : t - BIAS;
    }

    static int linearToAlaw(short sample) {
        int pcm = sample >> 3;
        int mask;
        if (pcm >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            pcm = -pcm - 1;
        }
        int seg = segment(pcm, Segments.ALAW_ENDS);
        if (seg >= 8) {
            return 0x7F ^ mask;
        }
        int a = seg << 4;
        a |= seg < 2 ? (pcm >> 1) & 0x0F : (pcm >> seg) & 0x0F;
        return a ^ mask;
    }

    static int alawToLinear(int code) {
        int a = (code ^ 0x55) & 0xFF;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        if (seg == 0) {
            t += 8;
        } else {
            t += 0x108;
            if (seg > 1) {
                t <<= seg - 1;
            }
        }
        return (a & 0x80) != 0 ? t : -t;
    }
}
