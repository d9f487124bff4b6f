package io.pinhole.relay.support;

import io.pinhole.wire.stun.StunAttribute;
import io.pinhole.wire.stun.StunAttributeType;
import io.pinhole.wire.stun.StunAddress;
import io.pinhole.wire.stun.StunClass;
import io.pinhole.wire.stun.StunCodec;
import io.pinhole.wire.stun.StunException;
import io.pinhole.wire.stun.StunMessage;
import io.pinhole.wire.stun.TransactionId;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/** STUN messages for tests: Binding requests out, responses in (decoded by the strict codec). */
public final class Stun {

    private Stun() {
    }

    /** A Binding request with a fresh transaction ID and a FINGERPRINT, as a phone sends it. */
    public static StunMessage request(StunAttribute... attributes) {
        return StunMessage.of(StunMessage.BINDING, StunClass.REQUEST, TransactionId.random(), List.of(attributes));
    }

    public static byte[] bytes(StunMessage message) {
        return StunCodec.encode(message, !message.rfc3489());
    }

    /** The response in a received datagram; RFC 3489 ones (no magic cookie) accepted too. */
    public static StunMessage decode(DatagramPacket p) throws StunException {
        return StunCodec.decode(Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength()), 0,
                p.getLength(), true);
    }

    public static InetSocketAddress from(DatagramPacket p) {
        return (InetSocketAddress) p.getSocketAddress();
    }

    public static InetSocketAddress xorMapped(StunMessage response) throws StunException {
        return StunAddress.decodeXor(response.attribute(StunAttributeType.XOR_MAPPED_ADDRESS).value(),
                response.cookie(), response.transactionId());
    }

    /** The address in a MAPPED-ADDRESS-layout attribute, or null when the response has none. */
    public static InetSocketAddress address(StunMessage response, int type) throws StunException {
        StunAttribute a = response.attribute(type);
        return a == null ? null : StunAddress.decode(a.value());
    }
}
