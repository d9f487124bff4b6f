import com.dampcake.bencode.Bencode;
import com.dampcake.bencode.Type;
import io.pinhole.wire.ng.BencodeReader;
import io.pinhole.wire.ng.BencodeWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Encode and decode time of one ng offer (as the proxy sends it) and one offer reply (as the relay
 * sends it), with dampcake's bencode and with our io.pinhole.wire.ng codec. Median of ROUNDS rounds
 * of ITERATIONS messages each, after a warm-up; run by bench/ng/run.sh codec.
 */
public final class CodecBench {

    private static final int ITERATIONS = 200_000;
    private static final int ROUNDS = 7;
    private static final Bencode DAMPCAKE = new Bencode(StandardCharsets.UTF_8);
    private static volatile Object sink;

    public static void main(String[] args) throws Exception {
        Map<String, Object> offer = offer();
        Map<String, Object> reply = reply();
        byte[] offerWire = BencodeWriter.encode(offer, StandardCharsets.UTF_8);
        byte[] replyWire = BencodeWriter.encode(reply, StandardCharsets.UTF_8);
        if (!Arrays.equals(offerWire, DAMPCAKE.encode(offer)) || !Arrays.equals(replyWire, DAMPCAKE.encode(reply))) {
            throw new IllegalStateException("the two codecs disagree on the wire bytes");
        }
        System.out.printf("offer %d bytes, reply %d bytes; ns per message, median of %d x %d%n",
                offerWire.length, replyWire.length, ROUNDS, ITERATIONS);
        report("dampcake  encode offer", () -> DAMPCAKE.encode(offer));
        report("pinhole   encode offer", () -> BencodeWriter.encode(offer, StandardCharsets.UTF_8));
        report("dampcake  decode offer", () -> DAMPCAKE.decode(offerWire, Type.DICTIONARY));
        report("pinhole   decode offer", () -> decode(offerWire));
        report("dampcake  encode reply", () -> DAMPCAKE.encode(reply));
        report("pinhole   encode reply", () -> BencodeWriter.encode(reply, StandardCharsets.UTF_8));
        report("dampcake  decode reply", () -> DAMPCAKE.decode(replyWire, Type.DICTIONARY));
        report("pinhole   decode reply", () -> decode(replyWire));
        report("pinhole-latin1 decode offer (relay)", () -> decodeLatin1(offerWire));
        report("pinhole-latin1 encode reply (relay)", () -> BencodeWriter.encode(reply));
    }

    private static Object decode(byte[] wire) {
        try {
            return BencodeReader.decodeDictionary(wire, 0, wire.length, StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object decodeLatin1(byte[] wire) {
        try {
            return BencodeReader.decodeDictionary(wire, 0, wire.length);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void report(String name, Supplier<Object> op) {
        for (int i = 0; i < ITERATIONS * 3; i++) {
            sink = op.get();
        }
        long[] ns = new long[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < ITERATIONS; i++) {
                sink = op.get();
            }
            ns[r] = (System.nanoTime() - start) / ITERATIONS;
        }
        Arrays.sort(ns);
        System.out.printf("%-38s %6d ns  (min %d, max %d)%n", name, ns[ROUNDS / 2], ns[0], ns[ROUNDS - 1]);
    }

    private static String sdp(String address, int port) {
        return "v=0\r\no=- 3900000001 3900000001 IN IP4 " + address + "\r\ns=pinhole\r\nc=IN IP4 " + address
                + "\r\nt=0 0\r\nm=audio " + port + " RTP/AVP 0 8 9 18 101\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:9 G722/8000\r\na=rtpmap:18 G729/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";
    }

    private static Map<String, Object> offer() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "offer");
        m.put("call-id", "a84b4c76e66710@pc33.atlanta.example.com");
        m.put("from-tag", "1928301774");
        m.put("sdp", sdp("192.0.2.10", 49170));
        m.put("flags", List.of("trust-address", "SIP-source-address"));
        m.put("replace", List.of("origin", "session-connection"));
        m.put("ICE", "remove");
        m.put("direction", List.of("external", "external"));
        m.put("received-from", List.of("IP4", "198.51.100.7"));
        m.put("secret", "s3cr3t");
        return m;
    }

    private static Map<String, Object> reply() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", "ok");
        m.put("sdp", sdp("203.0.113.5", 30000));
        List<Object> streams = new ArrayList<>();
        streams.add(Map.of("port", 30000, "rtcp-port", 30001));
        m.put("streams", streams);
        return m;
    }
}
