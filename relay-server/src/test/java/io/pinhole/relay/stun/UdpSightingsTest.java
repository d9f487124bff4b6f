package io.pinhole.relay.stun;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.pinhole.wire.stun.StunClass;
import io.pinhole.wire.stun.StunCodec;
import io.pinhole.wire.stun.StunMessage;
import io.pinhole.wire.stun.TransactionId;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpSightingsTest {

    private static final InetSocketAddress FROM = new InetSocketAddress("198.51.100.7", 40123);

    @Test
    void remembersBindingRequestsByTransactionId() {
        UdpSightings s = new UdpSightings();
        byte[] request = StunCodec.encode(StunMessage.of(StunMessage.BINDING, StunClass.REQUEST, TransactionId.random(),
                List.of()), true);
        s.record(Unpooled.wrappedBuffer(request), FROM);
        String tx = HexFormat.of().formatHex(request, 8, 20);
        assertThat(s.from(tx)).isEqualTo(FROM);
        assertThat(s.from(tx.toUpperCase())).isEqualTo(FROM);
        assertThat(s.from("000000000000000000000000")).isNull();
    }

    @Test
    void ignoresAnythingButABindingRequest() {
        UdpSightings s = new UdpSightings();
        byte[] answer = StunCodec.encode(StunMessage.of(StunMessage.BINDING, StunClass.SUCCESS_RESPONSE, TransactionId.random(),
                List.of()), true);
        s.record(Unpooled.wrappedBuffer(answer), FROM);
        s.record(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), FROM);
        assertThat(s.from(HexFormat.of().formatHex(answer, 8, 20))).isNull();
    }

    @Test
    void forgetsTheOldestBeyondItsCapacity() {
        UdpSightings s = new UdpSightings();
        String first = null;
        for (int i = 0; i <= UdpSightings.CAPACITY; i++) {
            byte[] r = StunCodec.encode(StunMessage.of(StunMessage.BINDING, StunClass.REQUEST, TransactionId.random(),
                    List.of()), true);
            s.record(Unpooled.wrappedBuffer(r), FROM);
            if (first == null) {
                first = HexFormat.of().formatHex(r, 8, 20);
            }
        }
        assertThat(s.from(first)).isNull();
    }
}
