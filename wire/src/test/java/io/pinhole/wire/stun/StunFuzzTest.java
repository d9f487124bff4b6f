package io.pinhole.wire.stun;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.wire.fuzz.FuzzLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * STUN decoding and the Binding responder (the relay's STUN server and media ports, the proxy's
 * probe) on mutations of RFC 5769's vectors and of our own requests: a datagram is either a
 * message or a {@link StunException}, and the responder always returns an answer value.
 */
class StunFuzzTest {

    private static final InetSocketAddress SOURCE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3478);

    private static List<byte[]> seeds() {
        TransactionId id = TransactionId.of(new byte[12]);
        byte[] change = StunCodec.encode(StunMessage.of(StunMessage.BINDING, StunClass.REQUEST, id,
                List.of(new StunAttribute(StunAttributeType.CHANGE_REQUEST, new byte[] {0, 0, 0, 6}))), true);
        byte[] error = StunCodec.encode(StunMessage.of(StunMessage.BINDING, StunClass.ERROR_RESPONSE, id,
                List.of(new StunAttribute(StunAttributeType.UNKNOWN_ATTRIBUTES, new byte[] {0, 3, 0x7f, 0x7f}))), false);
        byte[] plain = StunCodec.encode(StunMessage.of(StunMessage.BINDING, StunClass.REQUEST, id, List.of()), false);
        return List.of(Rfc5769.REQUEST, Rfc5769.IPV4_RESPONSE, Rfc5769.IPV6_RESPONSE, change, error, plain);
    }

    @Test
    void decodingAndAnsweringNeverThrowsNorHangs() throws Exception {
        BindingResponder responder = new BindingResponder("pinhole fuzz");
        long inputs = FuzzLoop.of("stun", seeds(), false, StunException.class).atLeast(1001).seconds(4).run(input -> {
            StunDemux.isStun(input);
            boolean rfc3489 = input.length > 0 && (input[0] & 1) == 1;
            BindingAnswer answer = responder.answer(ByteBuffer.wrap(input), rfc3489, SOURCE, LOCAL,
                    rfc3489 ? Alternate.NONE : null);
            assertThat(answer).isNotNull();
            StunMessage m = StunCodec.decode(input, 0, input.length, true);
            for (StunAttribute a : m.attributes()) {
                switch (a.type()) { // what the probe and the answers read from a response
                    case StunAttributeType.XOR_MAPPED_ADDRESS -> StunAddress.decodeXor(a.value(), StunCodec.MAGIC_COOKIE, m.transactionId());
                    case StunAttributeType.MAPPED_ADDRESS, StunAttributeType.OTHER_ADDRESS,
                            StunAttributeType.CHANGED_ADDRESS, StunAttributeType.RESPONSE_ORIGIN -> StunAddress.decode(a.value());
                    case StunAttributeType.ERROR_CODE -> ErrorCode.decode(a.value());
                    case StunAttributeType.UNKNOWN_ATTRIBUTES -> UnknownAttributes.decode(a.value());
                    case StunAttributeType.CHANGE_REQUEST -> ChangeRequest.decode(a.value());
                    default -> {
                    }
                }
            }
        });
        assertThat(inputs).isGreaterThan(1000);
    }
}
