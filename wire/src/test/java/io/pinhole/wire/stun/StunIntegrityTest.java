package io.pinhole.wire.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MESSAGE-INTEGRITY against the RFC 5769 vectors, whose HMACs the RFC's authors computed. */
class StunIntegrityTest {

    /** RFC 5769 section 2: the short-term password of all three vectors. */
    static final byte[] KEY = StunIntegrity.key("VOkJxbRl1RmTxUk/WvJxBt");

    @Test
    void verifiesTheRfc5769RequestAndResponses() {
        assertThat(StunIntegrity.verify(ByteBuffer.wrap(Rfc5769.REQUEST), KEY)).isTrue();
        assertThat(StunIntegrity.verify(ByteBuffer.wrap(Rfc5769.IPV4_RESPONSE), KEY)).isTrue();
        assertThat(StunIntegrity.verify(ByteBuffer.wrap(Rfc5769.IPV6_RESPONSE), KEY)).isTrue();
    }

    @Test
    void refusesAnotherPasswordAndATamperedMessage() {
        assertThat(StunIntegrity.verify(ByteBuffer.wrap(Rfc5769.REQUEST), StunIntegrity.key("VOkJxbRl1RmTxUk/WvJxBu")))
                .isFalse();
        byte[] tampered = Rfc5769.REQUEST.clone();
        tampered[27] ^= 1; // inside SOFTWARE, covered by the HMAC
        assertThat(StunIntegrity.verify(ByteBuffer.wrap(tampered), KEY)).isFalse();
    }

    @Test
    void verifiesAtAnOffsetInALargerBuffer() {
        ByteBuffer b = ByteBuffer.allocate(Rfc5769.REQUEST.length + 7);
        b.position(7);
        b.put(Rfc5769.REQUEST).position(7);
        assertThat(StunIntegrity.verify(b, KEY)).isTrue();
        assertThat(b.position()).isEqualTo(7);
    }

    @Test
    void aMessageWithoutIntegrityDoesNotVerify() {
        byte[] plain = StunCodec.encode(StunMessage.of(StunMessage.BINDING, StunClass.REQUEST,
                Rfc5769.ID, List.of()), true);
        assertThat(StunIntegrity.verify(ByteBuffer.wrap(plain), KEY)).isFalse();
    }

    @Test
    void signsWhatTheRfcVectorSigns() throws Exception {
        // the 2.2 response as our encoder writes it (zero padding instead of the RFC's spaces, so
        // compare the HMAC by verifying, and the rest byte for byte without the two trailers)
        StunMessage vector = StunCodec.decode(Rfc5769.IPV4_RESPONSE);
        StunMessage body = new StunMessage(vector.type(), vector.cookie(), vector.transactionId(),
                List.of(vector.attribute(StunAttributeType.XOR_MAPPED_ADDRESS)));
        byte[] signed = StunIntegrity.encodeSigned(body, KEY);
        assertThat(StunIntegrity.verify(ByteBuffer.wrap(signed), KEY)).isTrue();
        StunMessage decoded = StunCodec.decode(signed); // checks FINGERPRINT
        assertThat(decoded.attributes()).extracting(StunAttribute::type).containsExactly(
                StunAttributeType.XOR_MAPPED_ADDRESS, StunAttributeType.MESSAGE_INTEGRITY, StunAttributeType.FINGERPRINT);
        assertThat(StunAddress.decodeXor(decoded.attribute(StunAttributeType.XOR_MAPPED_ADDRESS).value(),
                decoded.cookie(), decoded.transactionId()))
                .isEqualTo(new InetSocketAddress("192.0.2.1", 32853));
    }
}
