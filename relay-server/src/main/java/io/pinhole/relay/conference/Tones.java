package io.pinhole.relay.conference;

/**
 * The conference's signal tones, precomputed once at 8 kHz (constants: a tone in play is only a
 * position in one of these arrays). Soft edges (5 ms ramps) so a tone does not click.
 */
final class Tones {

    /** Mixed into what the others hear when a party joins the room. */
    static final short[] JOIN = tone(440, 150, 6000);
    /** Mixed into what the others hear when a party leaves. */
    static final short[] LEAVE = tone(350, 150, 6000);
    /** Played to a party in the lobby every {@link #PROMPT_INTERVAL_TICKS} ticks: enter the PIN. */
    static final short[] PROMPT = tone(620, 100, 5000);
    /** Played to a party whose PIN attempt was wrong. */
    static final short[] WRONG_PIN = tone(200, 300, 7000);

    /** Three seconds between lobby prompts. */
    static final int PROMPT_INTERVAL_TICKS = 150;

    private Tones() {
    }

    static short[] tone(double hertz, int millis, int amplitude) {
        int n = millis * 8;
        int ramp = 40;
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            double gain = Math.min(1.0, Math.min(i, n - 1 - i) / (double) ramp);
            out[i] = (short) Math.round(amplitude * gain * Math.sin(2 * Math.PI * hertz * i / 8000.0));
        }
        return out;
    }
}
