package io.pinhole.proxy.conference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The test's own measuring stick: A-law round trip and Goertzel shares on known mixes. */
class TonesTest {

    @Test
    void alawRoundTripsWithinItsStep() {
        for (int v = -32000; v <= 32000; v += 37) {
            short back = Tones.alawDecode(Tones.alaw((short) v));
            assertThat(Math.abs(back - v)).as("sample " + v).isLessThanOrEqualTo(Math.max(16, Math.abs(v) / 16));
        }
    }

    @Test
    void goertzelSeesTheTonesOfAMixAndNotOthers() {
        double[] mix = new double[8000];
        for (int i = 0; i < mix.length; i++) {
            mix[i] = 4000 * Math.sin(2 * Math.PI * 1020 * i / 8000.0) + 4000 * Math.sin(2 * Math.PI * 1620 * i / 8000.0);
        }
        byte[] coded = new byte[mix.length];
        for (int i = 0; i < mix.length; i++) {
            coded[i] = Tones.alaw((short) mix[i]);
        }
        double[] heard = Tones.decode(coded);
        assertThat(Tones.share(heard, 0, 8000, 1020)).isBetween(0.4, 0.6);
        assertThat(Tones.share(heard, 0, 8000, 1620)).isBetween(0.4, 0.6);
        assertThat(Tones.share(heard, 0, 8000, 620)).isLessThan(0.01);
        assertThat(Tones.share(new double[8000], 0, 8000, 620)).isZero();
    }

    @Test
    void tonePacketsCarryTheTone() {
        var packets = Tones.tone(620, 1, 8000);
        assertThat(packets).hasSize(50);
        byte[] all = new byte[8000];
        for (int i = 0; i < packets.size(); i++) {
            System.arraycopy(packets.get(i).payload(), 0, all, i * 160, 160);
        }
        assertThat(Tones.share(Tones.decode(all), 0, 8000, 620)).isGreaterThan(0.9);
    }
}
