package io.pinhole.relay.conference;

/** A tone being played: which one and how far it has got. Confined to the conference loop. */
final class TonePlayer {

    private short[] tone;
    private int position;

    void start(short[] newTone) {
        this.tone = newTone;
        this.position = 0;
    }

    boolean playing() {
        return tone != null;
    }

    /** Adds the next {@code n} samples to {@code mix} (nothing once the tone has ended). */
    void addTo(int[] mix, int n) {
        short[] t = tone;
        if (t == null) {
            return;
        }
        int end = Math.min(n, t.length - position);
        for (int i = 0; i < end; i++) {
            mix[i] += t[position + i];
        }
        position += end;
        if (position >= t.length) {
            tone = null;
        }
    }
}
