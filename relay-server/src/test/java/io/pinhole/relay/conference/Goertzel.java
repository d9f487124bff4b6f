package io.pinhole.relay.conference;

/** Energy of one frequency in 8 kHz samples (Goertzel filter), for tests that check what a party hears. */
final class Goertzel {

    private Goertzel() {
    }

    static double power(short[] samples, int from, int to, double hertz) {
        double coeff = 2 * Math.cos(2 * Math.PI * hertz / 8000.0);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < to; i++) {
            double s = samples[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / ((double) (to - from) * (to - from));
    }

    /** {@code n} samples of a sine at {@code amplitude}, starting at sample {@code start}. */
    static short[] sine(double hertz, int amplitude, long start, int n) {
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hertz * (start + i) / 8000.0));
        }
        return out;
    }
}
