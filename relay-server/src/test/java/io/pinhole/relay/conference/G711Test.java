package io.pinhole.relay.conference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class G711Test {

    @Test
    void muLawKnownValues() {
        assertThat(G711.PCMU.encode(0)).isEqualTo((byte) 0xFF);
        assertThat(G711.PCMU.decode((byte) 0xFF)).isEqualTo((short) 0);
        assertThat(G711.PCMU.decode((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(G711.PCMU.decode((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.PCMU.encode(Short.MAX_VALUE)).isEqualTo((byte) 0x80);
        assertThat(G711.PCMU.encode(Short.MIN_VALUE)).isEqualTo((byte) 0x00);
    }

    @Test
    void aLawKnownValues() {
        assertThat(G711.PCMA.encode(0)).isEqualTo((byte) 0xD5);
        assertThat(G711.PCMA.decode((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.PCMA.decode((byte) 0x55)).isEqualTo((short) -8);
        assertThat(G711.PCMA.decode((byte) 0xAA)).isEqualTo((short) 32256);
        assertThat(G711.PCMA.decode((byte) 0x2A)).isEqualTo((short) -32256);
    }

    @Test
    void everyCodeSurvivesDecodeThenEncode() {
        for (G711 codec : G711.values()) {
            for (int b = 0; b < 256; b++) {
                byte code = (byte) b;
                short linear = codec.decode(code);
                byte again = codec.encode(linear);
                // μ-law has two codes for zero (0x7F and 0xFF): both decode to 0, which encodes to 0xFF
                if (codec == G711.PCMU && linear == 0) {
                    assertThat(again).isEqualTo((byte) 0xFF);
                } else {
                    assertThat(again).as("%s code %02x", codec, b).isEqualTo(code);
                }
            }
        }
    }

    @Test
    void roundTripErrorStaysWithinTheSegmentStep() {
        for (G711 codec : G711.values()) {
            for (int s = -32768; s <= 32767; s += 7) {
                int back = codec.decode(codec.encode(s));
                int step = Math.max(16, Math.abs(s) / 16); // quantisation grows with the segment
                assertThat(Math.abs(back - s)).as("%s %d -> %d", codec, s, back).isLessThanOrEqualTo(step + 16);
            }
        }
    }

    @Test
    void payloadTypesAreTheStaticOnes() {
        assertThat(G711.ofPayloadType(0)).isEqualTo(G711.PCMU);
        assertThat(G711.ofPayloadType(8)).isEqualTo(G711.PCMA);
        assertThat(G711.ofPayloadType(9)).isNull();
    }
}
