package io.pinhole.wire.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StunCodecTest {

    @Test
    void decodesTheRfc5769SampleRequestWithItsMessageIntegrity() throws Exception {
        StunMessage m = StunCodec.decode(Rfc5769.REQUEST);
        assertThat(m.type()).isEqualTo(0x0001);
        assertThat(m.method()).isEqualTo(StunMessage.BINDING);
        assertThat(m.messageClass()).isEqualTo(StunClass.REQUEST);
        assertThat(m.rfc3489()).isFalse();
        assertThat(m.transactionId()).isEqualTo(Rfc5769.ID);
        assertThat(m.attributes()).extracting(StunAttribute::type)
                .containsExactly(0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028);
        assertThat(new String(m.attribute(StunAttributeType.SOFTWARE).value(), StandardCharsets.UTF_8))
                .isEqualTo("STUN test client");
        assertThat(new String(m.attribute(StunAttributeType.USERNAME).value(), StandardCharsets.UTF_8))
                .isEqualTo("evtj:h6vY");
        assertThat(m.attribute(StunAttributeType.MESSAGE_INTEGRITY).length()).isEqualTo(20);
        assertThat(m.attribute(StunAttributeType.FINGERPRINT).value()).isEqualTo(Rfc5769.hex("e5 7a 3b cf"));
    }

    @Test
    void decodesTheRfc5769Ipv4Response() throws Exception {
        StunMessage m = StunCodec.decode(Rfc5769.IPV4_RESPONSE);
        assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(StunAddress.decodeXor(m.attribute(StunAttributeType.XOR_MAPPED_ADDRESS).value(), m.cookie(),
                m.transactionId())).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
        assertThat(new String(m.attribute(StunAttributeType.SOFTWARE).value(), StandardCharsets.UTF_8))
                .isEqualTo("test vector");
        assertThat(m.attribute(StunAttributeType.FINGERPRINT).value()).isEqualTo(Rfc5769.hex("c0 7d 4c 96"));
    }

    @Test
    void decodesTheRfc5769Ipv6Response() throws Exception {
        StunMessage m = StunCodec.decode(Rfc5769.IPV6_RESPONSE);
        assertThat(StunAddress.decodeXor(m.attribute(StunAttributeType.XOR_MAPPED_ADDRESS).value(), m.cookie(),
                m.transactionId())).isEqualTo(new InetSocketAddress(
                InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
        assertThat(m.attribute(StunAttributeType.FINGERPRINT).value()).isEqualTo(Rfc5769.hex("c8 fb 0b 4c"));
    }

    @Test
    void checksTheFingerprintOfEveryVector() {
        // one flipped bit in the transaction ID or in the first attribute's value (SOFTWARE, at
        // least 11 bytes in each): the framing still holds, only the CRC no longer matches
        for (byte[] vector : List.of(Rfc5769.REQUEST, Rfc5769.IPV4_RESPONSE, Rfc5769.IPV6_RESPONSE)) {
            for (int i = 8; i < 24 + 11; i = i == 19 ? 24 : i + 1) {
                byte[] bent = vector.clone();
                bent[i] ^= 0x10;
                assertThatThrownBy(() -> StunCodec.decode(bent)).as("bit flipped at %d", i)
                        .isInstanceOf(StunException.class).hasMessageContaining("FINGERPRINT");
            }
            byte[] badCrc = vector.clone();
            badCrc[badCrc.length - 1] ^= 1;
            assertThatThrownBy(() -> StunCodec.decode(badCrc)).hasMessageContaining("FINGERPRINT is 0x");
        }
    }

    @Test
    void encodesWhatItDecodesWithTheSameFingerprintRule() throws Exception {
        StunMessage vector = StunCodec.decode(Rfc5769.IPV6_RESPONSE).withoutFingerprint();
        byte[] encoded = StunCodec.encode(vector, true);
        // same attributes, zero padding instead of the vector's spaces, a FINGERPRINT over that
        assertThat(encoded).hasSameSizeAs(Rfc5769.IPV6_RESPONSE);
        StunMessage again = StunCodec.decode(encoded);
        assertThat(again.withoutFingerprint()).isEqualTo(vector);
        byte[] withVectorPadding = encoded.clone();
        withVectorPadding[20 + 4 + 11] = 0x20; // SOFTWARE "test vector" + one byte of padding
        System.arraycopy(Rfc5769.IPV6_RESPONSE, Rfc5769.IPV6_RESPONSE.length - 4, withVectorPadding,
                withVectorPadding.length - 4, 4);
        assertThat(withVectorPadding).as("with the vector's padding our bytes are the vector's")
                .isEqualTo(Rfc5769.IPV6_RESPONSE);
    }

    @Test
    void encodesWithoutFingerprintAndRefusesASecondOne() throws Exception {
        StunMessage m = StunMessage.of(StunMessage.BINDING, StunClass.REQUEST, Rfc5769.ID,
                List.of(new StunAttribute(StunAttributeType.SOFTWARE, "abc".getBytes(StandardCharsets.UTF_8))));
        byte[] bytes = StunCodec.encode(m, false);
        assertThat(bytes).hasSize(20 + 8);
        assertThat(Arrays.copyOfRange(bytes, 0, 8)).isEqualTo(Rfc5769.hex("00 01 00 08 21 12 a4 42"));
        assertThat(Arrays.copyOfRange(bytes, 20, 28)).isEqualTo(Rfc5769.hex("80 22 00 03 61 62 63 00"));
        assertThat(StunCodec.decode(bytes)).isEqualTo(m);
        StunMessage fingerprinted = StunCodec.decode(StunCodec.encode(m, true));
        assertThatIllegalArgumentException().isThrownBy(() -> StunCodec.encode(fingerprinted, true));
    }

    @Test
    void mapsMethodAndClassToTheTypeAndBack() {
        assertThat(StunMessage.type(StunMessage.BINDING, StunClass.REQUEST)).isEqualTo(0x0001);
        assertThat(StunMessage.type(StunMessage.BINDING, StunClass.INDICATION)).isEqualTo(0x0011);
        assertThat(StunMessage.type(StunMessage.BINDING, StunClass.SUCCESS_RESPONSE)).isEqualTo(0x0101);
        assertThat(StunMessage.type(StunMessage.BINDING, StunClass.ERROR_RESPONSE)).isEqualTo(0x0111);
        assertThat(StunMessage.type(0x003, StunClass.REQUEST)).isEqualTo(0x0003); // TURN Allocate
        assertThat(StunMessage.type(0xFFF, StunClass.REQUEST)).isEqualTo(0x3EEF);
        for (int method = 0; method <= 0xFFF; method++) {
            for (StunClass c : StunClass.values()) {
                StunMessage m = new StunMessage(StunMessage.type(method, c), StunCodec.MAGIC_COOKIE, Rfc5769.ID, List.of());
                assertThat(m.method()).isEqualTo(method);
                assertThat(m.messageClass()).isEqualTo(c);
            }
        }
    }

    @Test
    void acceptsAnRfc3489MessageOnlyWhenAsked() throws Exception {
        byte[] classic = Rfc5769.hex("00 01 00 08 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 00 03 00 04 00 00 00 00");
        assertThatThrownBy(() -> StunCodec.decode(classic)).isInstanceOf(StunException.class)
                .hasMessage("magic cookie is 0x01020304, not 0x2112a442");
        StunMessage m = StunCodec.decode(classic, 0, classic.length, true);
        assertThat(m.rfc3489()).isTrue();
        assertThat(m.cookie()).isEqualTo(0x01020304);
        assertThat(StunCodec.encode(m, false)).isEqualTo(classic);
    }

    @Test
    void decodesFromAnOffsetAndLeavesTheBufferAsItWas() throws Exception {
        byte[] padded = new byte[Rfc5769.IPV4_RESPONSE.length + 10];
        System.arraycopy(Rfc5769.IPV4_RESPONSE, 0, padded, 3, Rfc5769.IPV4_RESPONSE.length);
        assertThat(StunCodec.decode(padded, 3, Rfc5769.IPV4_RESPONSE.length, false).transactionId())
                .isEqualTo(Rfc5769.ID);
        ByteBuffer direct = ByteBuffer.allocateDirect(padded.length);
        direct.put(padded).position(3).limit(3 + Rfc5769.IPV4_RESPONSE.length);
        StunCodec.decode(direct, false);
        assertThat(direct.position()).isEqualTo(3);
        assertThat(direct.limit()).isEqualTo(3 + Rfc5769.IPV4_RESPONSE.length);
    }

    /** One truncated, bad-length, bad-cookie... datagram per rule, and the reason it must give. */
    static Stream<Arguments> malformed() {
        byte[] v4 = Rfc5769.IPV4_RESPONSE;
        return Stream.of(
                Arguments.of("empty", new byte[0], "truncated: 0 bytes"),
                Arguments.of("header cut at 19 bytes", Arrays.copyOf(v4, 19), "truncated: 19 bytes"),
                Arguments.of("truncated body", Arrays.copyOf(v4, v4.length - 4),
                        "length field says 60 bytes but the datagram carries 56"),
                Arguments.of("trailing bytes", Arrays.copyOf(v4, v4.length + 4),
                        "length field says 60 bytes but the datagram carries 64"),
                Arguments.of("first bits set", with(v4, 0, 0x41), "first two bits must be 0, message type is 0x4101"),
                Arguments.of("first bit set", with(v4, 0, 0x81), "first two bits must be 0"),
                Arguments.of("length not a multiple of 4", with(v4, 3, 0x3d),
                        "message length 61 is not a multiple of 4"),
                Arguments.of("bad cookie", with(v4, 4, 0x22), "magic cookie is 0x2212a442"),
                Arguments.of("attribute past the end", with(with(v4, 22, 0x01), 23, 0x00),
                        "attribute 0x8022 at offset 20 has length 256"),
                Arguments.of("attribute padding past the end", Rfc5769.hex(
                        "00 01 00 04 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae 80 22 00 01"),
                        "has length 1, more than the 0 bytes left"),
                Arguments.of("wrong FINGERPRINT", with(v4, v4.length - 1, 0x97), "FINGERPRINT is 0xc07d4c97"),
                Arguments.of("FINGERPRINT of 8 bytes", Rfc5769.hex(
                        "00 01 00 0c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
                        + " 80 28 00 08 00 00 00 00 00 00 00 00"),
                        "FINGERPRINT has length 8, not 4"),
                Arguments.of("attribute after FINGERPRINT", afterFingerprint(), "follows FINGERPRINT"));
    }

    private static byte[] with(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }

    /** A correct FINGERPRINT (over a header whose length covers what follows) and then an empty attribute. */
    private static byte[] afterFingerprint() {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.putShort((short) 0x0001).putShort((short) 12).putInt(StunCodec.MAGIC_COOKIE).put(Rfc5769.ID.bytes());
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 20);
        b.putShort((short) 0x8028).putShort((short) 4).putInt((int) crc.getValue() ^ 0x5354554e);
        return b.array(); // the last 4 bytes: attribute 0x0000 of length 0
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesMalformedDatagramsSayingWhy(String name, byte[] datagram, String reason) {
        assertThatThrownBy(() -> StunCodec.decode(datagram, 0, datagram.length, false))
                .isInstanceOf(StunException.class).hasMessageContaining(reason);
    }

    /**
     * Bounded random mutations of valid messages, and random bytes: each either decodes or is
     * refused with a {@link StunException}, and what decodes goes through the answer function and
     * the value readers with nothing else thrown either.
     */
    @Test
    void survivesRandomMutationsWithOnlyItsOwnException() throws Exception {
        Random random = new Random(5389);
        BindingResponder responder = new BindingResponder("fuzz");
        InetSocketAddress here = new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 3478);
        InetSocketAddress there = new InetSocketAddress(InetAddress.getByName("203.0.113.9"), 4000);
        Alternate alternate = new Alternate(InetAddress.getByName("192.0.2.11"), 3479);
        List<byte[]> seeds = List.of(Rfc5769.REQUEST, Rfc5769.IPV4_RESPONSE, Rfc5769.IPV6_RESPONSE,
                StunCodec.encode(StunMessage.of(StunMessage.BINDING, StunClass.REQUEST, Rfc5769.ID,
                        List.of(new StunAttribute(StunAttributeType.CHANGE_REQUEST, new ChangeRequest(true, true).encode()))),
                        false));
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] input = i % 10 == 9 ? randomBytes(random) : mutate(seeds.get(random.nextInt(seeds.size())), random);
            try {
                StunMessage m = StunCodec.decode(input, 0, input.length, random.nextBoolean());
                decoded++;
                responder.answer(m, there, here, random.nextBoolean() ? alternate : null);
                readValues(m);
            } catch (StunException expected) {
                refused++;
            } catch (Throwable t) {
                fail("input " + Rfc5769.hex(input) + " threw " + t, t);
            }
        }
        // the loop must reach both outcomes, or it tests nothing
        assertThat(decoded).isGreaterThan(1000);
        assertThat(refused).isGreaterThan(1000);
    }

    private static void readValues(StunMessage m) {
        for (StunAttribute a : m.attributes()) {
            try {
                switch (a.type()) {
                    case StunAttributeType.XOR_MAPPED_ADDRESS -> StunAddress.decodeXor(a.value(), m.cookie(), m.transactionId());
                    case StunAttributeType.MAPPED_ADDRESS, StunAttributeType.OTHER_ADDRESS -> StunAddress.decode(a.value());
                    case StunAttributeType.ERROR_CODE -> ErrorCode.decode(a.value());
                    case StunAttributeType.UNKNOWN_ATTRIBUTES -> UnknownAttributes.decode(a.value());
                    case StunAttributeType.CHANGE_REQUEST -> ChangeRequest.decode(a.value());
                    default -> { }
                }
            } catch (StunException expected) {
                // a bad value is the reader's own exception: fine
            }
        }
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        switch (random.nextInt(6)) {
            case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
            case 2 -> b = Arrays.copyOf(b, b.length + 4 * random.nextInt(4));
            case 3 -> { // a plausible but wrong message length, so the attribute walk is reached
                int length = 4 * random.nextInt(40);
                b[2] = (byte) (length >> 8);
                b[3] = (byte) length;
            }
            case 4 -> { // an attribute length field of any value
                int at = 20 + 4 * random.nextInt(Math.max(1, (b.length - 20) / 4));
                if (at + 3 < b.length) {
                    b[at + 2] = (byte) random.nextInt(256);
                    b[at + 3] = (byte) random.nextInt(256);
                }
            }
            default -> { // several random bytes anywhere, and the length fixed up to match
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                b[2] = (byte) ((b.length - 20) >> 8);
                b[3] = (byte) (b.length - 20);
            }
        }
        return b;
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(120)];
        random.nextBytes(b);
        if (b.length >= 8 && random.nextBoolean()) { // a STUN-looking header over random attributes
            b[0] = 0;
            b[1] = 1;
            b[2] = (byte) ((b.length - 20) >> 8);
            b[3] = (byte) (b.length - 20);
            ByteBuffer.wrap(b).putInt(4, StunCodec.MAGIC_COOKIE);
        }
        return b;
    }
}
