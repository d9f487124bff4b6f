package io.pinhole.wire.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ICE-lite answers to connectivity checks; the RFC 5769 request is one (USERNAME evtj:h6vY). */
class IceLiteResponderTest {

    private static final InetSocketAddress PHONE = new InetSocketAddress("192.0.2.1", 32853);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("198.51.100.7", 40000);

    private static BindingAnswer answer(byte[] request, String ufrag, byte[] key) throws StunException {
        return IceLiteResponder.answer(ByteBuffer.wrap(request), StunCodec.decode(request), PHONE, LOCAL, ufrag, key);
    }

    @Test
    void aGoodCheckGetsASignedSuccessWithTheMapping() throws Exception {
        BindingAnswer a = answer(Rfc5769.REQUEST, "evtj", StunIntegrityTest.KEY);
        assertThat(a).isInstanceOf(BindingAnswer.Reply.class);
        BindingAnswer.Reply reply = (BindingAnswer.Reply) a;
        assertThat(reply.errorCode()).isZero();
        assertThat(reply.from()).isEqualTo(LOCAL);
        StunMessage response = StunCodec.decode(reply.datagram());
        assertThat(response.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(response.transactionId()).isEqualTo(Rfc5769.ID);
        assertThat(StunIntegrity.verify(ByteBuffer.wrap(reply.datagram()), StunIntegrityTest.KEY)).isTrue();
        assertThat(StunAddress.decodeXor(response.attribute(StunAttributeType.XOR_MAPPED_ADDRESS).value(),
                response.cookie(), response.transactionId())).isEqualTo(PHONE);
        assertThat(response.attribute(StunAttributeType.FINGERPRINT)).isNotNull();
    }

    @Test
    void anotherUfragOrPasswordGets401() throws Exception {
        assertThat(code(answer(Rfc5769.REQUEST, "evt", StunIntegrityTest.KEY))).isEqualTo(401);
        assertThat(code(answer(Rfc5769.REQUEST, "h6vY", StunIntegrityTest.KEY))).isEqualTo(401);
        assertThat(code(answer(Rfc5769.REQUEST, "evtj", StunIntegrity.key("another-password-of-22c")))).isEqualTo(401);
    }

    @Test
    void aCheckWithoutFingerprintGets400() throws Exception {
        StunMessage request = StunMessage.of(StunMessage.BINDING, StunClass.REQUEST, Rfc5769.ID,
                List.of(new StunAttribute(StunAttributeType.USERNAME, "evtj:h6vY".getBytes(StandardCharsets.US_ASCII)),
                        new StunAttribute(StunAttributeType.MESSAGE_INTEGRITY, new byte[20])));
        assertThat(code(answer(StunCodec.encode(request, false), "evtj", StunIntegrityTest.KEY))).isEqualTo(400);
    }

    @Test
    void aPlainBindingRequestIsNoCheck() throws Exception {
        StunMessage plain = StunCodec.decode(StunCodec.encode(StunMessage.of(StunMessage.BINDING, StunClass.REQUEST,
                Rfc5769.ID, List.of()), true));
        assertThat(IceLiteResponder.isCheck(plain)).isFalse();
        assertThat(IceLiteResponder.isCheck(StunCodec.decode(Rfc5769.REQUEST))).isTrue();
    }

    private static int code(BindingAnswer a) throws StunException {
        BindingAnswer.Reply reply = (BindingAnswer.Reply) a;
        StunMessage response = StunCodec.decode(reply.datagram());
        assertThat(response.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
        assertThat(response.attribute(StunAttributeType.MESSAGE_INTEGRITY)).isNull();
        return reply.errorCode();
    }
}
