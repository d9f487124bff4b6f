package io.pinhole.wire.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Derives a malformed input from valid seeds: one to four stacked mutations chosen among byte
 * flips, truncation, deletion, duplication and insertion of ranges, boundary bytes and 16/32-bit
 * boundary integers (for length fields of binary formats), splicing two seeds, and for text the
 * line and header-value mutations of the PROTOS c07-sip suite (overlong, empty, format strings,
 * NULs, huge and negative integers, duplicated, dropped and swapped lines). Deterministic for a
 * given {@link Random}, so a failure is reproduced by its seed.
 */
public final class Mutator {

    private static final byte[] BOUNDARY_BYTES = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, '\r', '\n', ' ', '\t',
            ':', ';', ',', '<', '>', '"', '%', '=', '/', '@', '[', ']', 'd', 'e', 'i', 'l', '0', '9', '-'};
    private static final int[] BOUNDARY_INTS = {0, 1, 2, 3, 4, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff,
            0x10000, 0x7fffffff, 0x80000000, 0xffffffff};
    private static final String[] HOSTILE_VALUES = {"", " ", "%s%s%s%s%n", "%x%x%x%x", "%99999999d", "\0", "a\0b",
            "-1", "0", "4294967296", "2147483648", "-2147483649", "9223372036854775808", "99999999999999999999999999",
            "1e309", "NaN", "0x", "::", "[", "]", "<", ">", "\"", "\\", ";;;;", ",,,,", "=", "\r", "\n", "\r\n\r\n",
            "\u00ff\u00fe", "sip:", "sip:@", "<sip:a@b", "1:2:3:4:5:6:7:8:9", "256.256.256.256", "i-1e", "l", "d",
            "99999999:x", "18446744073709551616:"};
    /** Longest run an "overlong" value gets: past 16-bit length fields and typical buffer sizes. */
    private static final int[] OVERLONG = {128, 256, 1024, 4097, 65_536, 70_000};

    /**
     * Inputs stop growing here: twice the largest datagram, past every size limit of ours (SIP
     * 64 KB, UDP 65,507 bytes), while stacked duplications would otherwise reach megabytes.
     */
    static final int MAX_INPUT = 131_072;

    private final Random random;
    private final boolean text;

    /** @param text whether the inputs are line-oriented text (SIP, SDP, ng) to get line mutations too */
    public Mutator(Random random, boolean text) {
        this.random = random;
        this.text = text;
    }

    public byte[] mutate(List<byte[]> seeds) {
        byte[] input = seeds.get(random.nextInt(seeds.size()));
        int rounds = 1 + random.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            input = once(input, seeds);
            if (input.length > MAX_INPUT) {
                input = slice(input, 0, MAX_INPUT);
            }
        }
        return input;
    }

    private byte[] once(byte[] in, List<byte[]> seeds) {
        int kinds = text ? 13 : 10;
        switch (random.nextInt(kinds)) {
            case 0: return flipBit(in);
            case 1: return setByte(in, BOUNDARY_BYTES[random.nextInt(BOUNDARY_BYTES.length)]);
            case 2: return in.length == 0 ? in : slice(in, 0, random.nextInt(in.length));
            case 3: return deleteRange(in);
            case 4: return duplicateRange(in);
            case 5: return insert(in, randomBytes(1 + random.nextInt(16)));
            case 6: return setInt(in, BOUNDARY_INTS[random.nextInt(BOUNDARY_INTS.length)], random.nextBoolean() ? 2 : 4);
            case 7: return splice(in, seeds.get(random.nextInt(seeds.size())));
            case 8: return insert(in, HOSTILE_VALUES[random.nextInt(HOSTILE_VALUES.length)]
                    .getBytes(StandardCharsets.ISO_8859_1));
            case 9: return setByte(in, (byte) random.nextInt(256));
            case 10: return lines(in, LineOp.values()[random.nextInt(LineOp.values().length)]);
            case 11: return headerValue(in, hostileValue());
            default: return headerValue(in, overlong());
        }
    }

    private String hostileValue() {
        return HOSTILE_VALUES[random.nextInt(HOSTILE_VALUES.length)];
    }

    private String overlong() {
        char c = "A9%<;:".charAt(random.nextInt(6));
        return String.valueOf(c).repeat(OVERLONG[random.nextInt(OVERLONG.length)]);
    }

    private byte[] flipBit(byte[] in) {
        if (in.length == 0) {
            return in;
        }
        byte[] out = in.clone();
        int at = random.nextInt(out.length);
        out[at] ^= (byte) (1 << random.nextInt(8));
        return out;
    }

    private byte[] setByte(byte[] in, byte value) {
        if (in.length == 0) {
            return new byte[] {value};
        }
        byte[] out = in.clone();
        out[random.nextInt(out.length)] = value;
        return out;
    }

    private byte[] setInt(byte[] in, int value, int width) {
        if (in.length < width) {
            return in;
        }
        byte[] out = in.clone();
        int at = random.nextInt(out.length - width + 1);
        for (int i = 0; i < width; i++) {
            out[at + i] = (byte) (value >>> (8 * (width - 1 - i)));
        }
        return out;
    }

    private byte[] deleteRange(byte[] in) {
        if (in.length == 0) {
            return in;
        }
        int from = random.nextInt(in.length);
        int to = from + 1 + random.nextInt(Math.min(64, in.length - from));
        return concat(slice(in, 0, from), slice(in, to, in.length));
    }

    private byte[] duplicateRange(byte[] in) {
        if (in.length == 0) {
            return in;
        }
        int from = random.nextInt(in.length);
        int to = from + 1 + random.nextInt(in.length - from);
        int times = random.nextInt(8) == 0 ? 64 : 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(in, 0, to);
        for (int i = 1; i < times; i++) {
            out.write(in, from, to - from);
        }
        out.write(in, to, in.length - to);
        return out.toByteArray();
    }

    private byte[] insert(byte[] in, byte[] what) {
        int at = random.nextInt(in.length + 1);
        return concat(concat(slice(in, 0, at), what), slice(in, at, in.length));
    }

    private byte[] splice(byte[] a, byte[] b) {
        int cutA = random.nextInt(a.length + 1);
        int cutB = random.nextInt(b.length + 1);
        return concat(slice(a, 0, cutA), slice(b, cutB, b.length));
    }

    private byte[] randomBytes(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }

    enum LineOp { DUPLICATE, DROP, SWAP, REPEAT_MANY, BARE_LF }

    private byte[] lines(byte[] in, LineOp op) {
        List<String> lines = new ArrayList<>(List.of(new String(in, StandardCharsets.ISO_8859_1).split("\r\n", -1)));
        int i = random.nextInt(lines.size());
        switch (op) {
            case DUPLICATE -> lines.add(i, lines.get(i));
            case DROP -> lines.remove(i);
            case SWAP -> {
                int j = random.nextInt(lines.size());
                String t = lines.get(i);
                lines.set(i, lines.get(j));
                lines.set(j, t);
            }
            case REPEAT_MANY -> {
                for (int k = 0; k < 200; k++) {
                    lines.add(i, lines.get(i));
                }
            }
            case BARE_LF -> {
                return new String(in, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
            }
        }
        return String.join("\r\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Replaces the value of a random "name: value" / "k=value" line, or a token after a space. */
    private byte[] headerValue(byte[] in, String value) {
        String s = new String(in, StandardCharsets.ISO_8859_1);
        String[] lines = s.split("\r\n", -1);
        int i = random.nextInt(lines.length);
        String line = lines[i];
        int sep = Math.max(line.indexOf(':'), line.indexOf('='));
        if (sep < 0) {
            sep = line.indexOf(' ');
        }
        if (sep < 0) {
            return insert(in, value.getBytes(StandardCharsets.ISO_8859_1));
        }
        String rest = line.substring(sep + 1);
        // replace the whole value, or only one of its ';'/' '/','-separated parts
        int cut = random.nextBoolean() ? -1 : firstOf(rest, random.nextBoolean() ? ';' : ' ');
        lines[i] = line.substring(0, sep + 1) + (cut < 0 ? value : rest.substring(0, cut + 1) + value);
        return String.join("\r\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int firstOf(String s, char c) {
        return s.indexOf(c);
    }

    private static byte[] slice(byte[] in, int from, int to) {
        byte[] out = new byte[Math.max(0, to - from)];
        System.arraycopy(in, from, out, 0, out.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
