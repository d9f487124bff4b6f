package io.pinhole.wire.hep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HepPacketTest {

    private static final byte[] SIP = "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: c1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** The chunks by type, read back the way a collector walks them. */
    private static Map<Integer, byte[]> chunks(byte[] packet) {
        ByteBuffer in = ByteBuffer.wrap(packet);
        byte[] magic = new byte[4];
        in.get(magic);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("HEP3");
        assertThat(in.getShort() & 0xffff).as("total length").isEqualTo(packet.length);
        Map<Integer, byte[]> chunks = new LinkedHashMap<>();
        while (in.hasRemaining()) {
            assertThat(in.getShort()).as("vendor").isZero();
            int type = in.getShort() & 0xffff;
            int length = in.getShort() & 0xffff;
            byte[] value = new byte[length - 6];
            in.get(value);
            chunks.put(type, value);
        }
        return chunks;
    }

    @Test
    void anIpv4UdpMessageCarriesEveryChunkACollectorNeeds() throws Exception {
        byte[] packet = HepPacket.encode(new HepPacket.Captured(InetAddress.getByName("192.0.2.1"), 5060,
                InetAddress.getByName("198.51.100.2"), 40000, false, 1_765_000_000_123_456L, "c1", SIP), 2001, null);
        Map<Integer, byte[]> c = chunks(packet);
        assertThat(c.get(HepPacket.FAMILY)).containsExactly(2);
        assertThat(c.get(HepPacket.PROTOCOL)).containsExactly(17);
        assertThat(c.get(HepPacket.SRC_IPV4)).containsExactly(192, 0, 2, 1);
        assertThat(c.get(HepPacket.DST_IPV4)).containsExactly(198, 51, 100, 2);
        assertThat(ByteBuffer.wrap(c.get(HepPacket.SRC_PORT)).getShort() & 0xffff).isEqualTo(5060);
        assertThat(ByteBuffer.wrap(c.get(HepPacket.DST_PORT)).getShort() & 0xffff).isEqualTo(40000);
        assertThat(ByteBuffer.wrap(c.get(HepPacket.SECONDS)).getInt()).isEqualTo(1_765_000_000);
        assertThat(ByteBuffer.wrap(c.get(HepPacket.MICROS)).getInt()).isEqualTo(123_456);
        assertThat(c.get(HepPacket.PROTOCOL_TYPE)).containsExactly(1);
        assertThat(ByteBuffer.wrap(c.get(HepPacket.CAPTURE_ID)).getInt()).isEqualTo(2001);
        assertThat(new String(c.get(HepPacket.CORRELATION_ID), StandardCharsets.UTF_8)).isEqualTo("c1");
        assertThat(c.get(HepPacket.PAYLOAD)).isEqualTo(SIP);
        assertThat(c).doesNotContainKey(HepPacket.AUTH_KEY);
    }

    @Test
    void ipv6OverTcpWithAPassword() throws Exception {
        byte[] packet = HepPacket.encode(new HepPacket.Captured(InetAddress.getByName("2001:db8::1"), 5061,
                InetAddress.getByName("2001:db8::2"), 5061, true, 0, null, SIP), 7, "s3cret");
        Map<Integer, byte[]> c = chunks(packet);
        assertThat(c.get(HepPacket.FAMILY)).containsExactly(10);
        assertThat(c.get(HepPacket.PROTOCOL)).containsExactly(6);
        assertThat(c.get(HepPacket.SRC_IPV6)).isEqualTo(InetAddress.getByName("2001:db8::1").getAddress());
        assertThat(c.get(HepPacket.DST_IPV6)).isEqualTo(InetAddress.getByName("2001:db8::2").getAddress());
        assertThat(new String(c.get(HepPacket.AUTH_KEY), StandardCharsets.UTF_8)).isEqualTo("s3cret");
        assertThat(c).doesNotContainKey(HepPacket.CORRELATION_ID);
    }

    @Test
    void rtcpReportsCarryProtocolTypeFive() throws Exception {
        byte[] packet = HepPacket.encode(new HepPacket.Captured(InetAddress.getByName("192.0.2.1"), 40001,
                InetAddress.getByName("198.51.100.2"), 30001, false, 0, "c1", "{\"ssrc\":1}".getBytes()),
                HepPacket.TYPE_RTCP_JSON, 2003, null);
        assertThat(chunks(packet).get(HepPacket.PROTOCOL_TYPE)).containsExactly(5);
    }

    @Test
    void refusesWhatCannotBeOnePacket() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.0.2.1");
        InetAddress v6 = InetAddress.getByName("2001:db8::2");
        assertThatThrownBy(() -> HepPacket.encode(new HepPacket.Captured(v4, 1, v6, 2, false, 0, null, SIP), 0, null))
                .hasMessageContaining("different IP families");
        byte[] huge = new byte[65_500];
        Arrays.fill(huge, (byte) 'x');
        assertThatThrownBy(() -> HepPacket.encode(new HepPacket.Captured(v4, 1, v4, 2, false, 0, null, huge), 0, null))
                .hasMessageContaining("exceeds 65535");
    }
}
