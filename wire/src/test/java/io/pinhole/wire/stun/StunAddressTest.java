package io.pinhole.wire.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class StunAddressTest {

    @Test
    void xorsAsTheRfc5769VectorsDo() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        assertThat(StunAddress.encodeXor(v4, StunCodec.MAGIC_COOKIE, Rfc5769.ID))
                .isEqualTo(Rfc5769.hex("00 01 a1 47 e1 12 a6 43"));
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853);
        assertThat(StunAddress.encodeXor(v6, StunCodec.MAGIC_COOKIE, Rfc5769.ID))
                .isEqualTo(Rfc5769.hex("00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9"));
    }

    @Test
    void writesMappedAddressInTheClear() throws Exception {
        assertThat(StunAddress.encode(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853)))
                .isEqualTo(Rfc5769.hex("00 01 80 55 c0 00 02 01"));
        assertThat(StunAddress.decode(Rfc5769.hex("00 01 80 55 c0 00 02 01")))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
    }

    @Test
    void roundTripsBothFamiliesBothLayouts() throws Exception {
        TransactionId id = new TransactionId(1, -2, 0x7fffffff);
        for (String ip : new String[] {"0.0.0.0", "255.255.255.255", "127.0.0.1", "::", "::1", "fe80::1", "2001:db8::ff"}) {
            for (int port : new int[] {0, 1, 3478, 65535}) {
                InetSocketAddress a = new InetSocketAddress(InetAddress.getByName(ip), port);
                assertThat(StunAddress.decode(StunAddress.encode(a))).isEqualTo(a);
                assertThat(StunAddress.decodeXor(StunAddress.encodeXor(a, StunCodec.MAGIC_COOKIE, id),
                        StunCodec.MAGIC_COOKIE, id)).isEqualTo(a);
            }
        }
    }

    @Test
    void keepsAnIpv4MappedIpv6AddressIpv6() throws Exception {
        byte[] value = Rfc5769.hex("00 02 00 50 00 00 00 00 00 00 00 00 00 00 ff ff c0 00 02 01");
        InetSocketAddress a = StunAddress.decode(value);
        assertThat(a.getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(StunAddress.encode(a)).isEqualTo(value);
    }

    @Test
    void refusesBadFamiliesAndLengths() {
        assertThatThrownBy(() -> StunAddress.decode(Rfc5769.hex("00 03 00 50 01 02 03 04")))
                .isInstanceOf(StunException.class).hasMessageContaining("family 0x03");
        assertThatThrownBy(() -> StunAddress.decode(Rfc5769.hex("00 01 00 50 01 02 03 04 05 06 07 08")))
                .isInstanceOf(StunException.class).hasMessageContaining("has 12 bytes, not 8");
        assertThatThrownBy(() -> StunAddress.decode(Rfc5769.hex("00 02 00 50 01 02 03 04")))
                .isInstanceOf(StunException.class).hasMessageContaining("not 20");
        assertThatThrownBy(() -> StunAddress.decode(Rfc5769.hex("00 01")))
                .isInstanceOf(StunException.class).hasMessageContaining("at least 8");
    }
}
