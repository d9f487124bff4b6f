package io.pinhole.wire.stun;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.wire.stun.StunDemux.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StunDemuxTest {

    @ParameterizedTest(name = "first byte {0} is {1}")
    @CsvSource({
            "0, STUN", "1, STUN", "2, STUN", "3, STUN", "4, OTHER", "15, OTHER",
            "16, ZRTP", "19, ZRTP", "20, DTLS", "63, DTLS", "64, TURN_CHANNEL", "79, TURN_CHANNEL",
            "80, OTHER", "127, OTHER", "128, RTP_RTCP", "144, RTP_RTCP", "191, RTP_RTCP", "192, OTHER", "255, OTHER",
            "-128, RTP_RTCP", "-1, OTHER"})
    void classifiesByTheFirstByteAsRfc7983Says(int firstByte, Kind kind) {
        assertThat(StunDemux.classify(firstByte)).isEqualTo(kind);
        assertThat(StunDemux.isStun(firstByte)).isEqualTo(kind == Kind.STUN);
        assertThat(StunDemux.isStun(new byte[] {(byte) firstByte, 0, 0})).isEqualTo(kind == Kind.STUN);
    }

    @Test
    void tellsStunFromSipAndRtp() {
        assertThat(StunDemux.isStun(Rfc5769.REQUEST)).isTrue();
        assertThat(StunDemux.isStun(Rfc5769.IPV4_RESPONSE)).isTrue();
        for (String sip : new String[] {"INVITE sip:a@b SIP/2.0\r\n", "SIP/2.0 200 OK\r\n", "\r\n\r\n", "ACK", "OPTIONS"}) {
            assertThat(StunDemux.isStun(sip.getBytes(StandardCharsets.US_ASCII))).as(sip).isFalse();
        }
        assertThat(StunDemux.isStun(new byte[] {(byte) 0x80, 8, 0, 1})).as("RTP PT 8").isFalse();
        assertThat(StunDemux.isStun(new byte[] {(byte) 0x81, (byte) 200})).as("RTCP SR").isFalse();
        assertThat(StunDemux.isStun(new byte[0])).as("empty").isFalse();
    }

    @Test
    void readsAtTheBufferPositionWithoutMovingIt() {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {(byte) 0x80, 0x00, 0x01});
        assertThat(StunDemux.isStun(b)).isFalse();
        b.position(1);
        assertThat(StunDemux.isStun(b)).isTrue();
        assertThat(b.position()).isEqualTo(1);
        b.position(3);
        assertThat(StunDemux.isStun(b)).as("nothing left").isFalse();
        assertThat(StunDemux.isStun(new byte[] {(byte) 0x80, 1}, 1, 1)).isTrue();
        assertThat(StunDemux.isStun(new byte[] {1, (byte) 0x80}, 1, 1)).isFalse();
        assertThat(StunDemux.isStun(new byte[] {1}, 1, 0)).isFalse();
    }
}
