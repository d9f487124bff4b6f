package io.pinhole.relay.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.sdp.Direction;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The mixer without sockets: frames go straight into the parties' jitter buffers, the room ticks by hand. */
class MixerTest {

    private static final int FRAMES = 100;

    private static Party party(Room room, String name, G711 codec) {
        OfferedAudio offer = new OfferedAudio(codec, 101, new InetSocketAddress("127.0.0.1", 4000), false, false,
                Direction.SENDRECV);
        Party p = new Party("call-" + name, "tag-" + name, name, room, null, offer, 3, name.hashCode(), 0, 0);
        room.add(p);
        return p;
    }

    private static void feed(Party p, int seq, short[] pcm) {
        byte[] f = new byte[160];
        for (int i = 0; i < 160; i++) {
            f[i] = p.codec.encode(pcm[i]);
        }
        p.jitter.put(seq, f, 0);
    }

    private static void collect(Party p, short[] into, int frame) {
        p.codec.decode(p.payload, 0, into == null ? new short[160] : scratch, 160);
        if (into != null) {
            System.arraycopy(scratch, 0, into, frame * 160, 160);
        }
    }

    private static final short[] scratch = new short[160];

    @Test
    void eachPartyHearsTheOthersButNotItself() {
        Room room = new Room("r", 8);
        Party a = party(room, "a", G711.PCMU);
        Party b = party(room, "b", G711.PCMA);
        Party c = party(room, "c", G711.PCMU);
        double[] hz = {500, 900, 1400};
        Party[] ps = {a, b, c};
        short[][] heard = new short[3][FRAMES * 160];
        for (int t = 0; t < FRAMES; t++) {
            for (int i = 0; i < 3; i++) {
                feed(ps[i], t, Goertzel.sine(hz[i], 8000, t * 160L, 160));
            }
            room.tick();
            for (int i = 0; i < 3; i++) {
                collect(ps[i], heard[i], t);
            }
        }
        int from = 20 * 160; // after priming and the join tones
        int to = FRAMES * 160;
        for (int i = 0; i < 3; i++) {
            double own = Goertzel.power(heard[i], from, to, hz[i]);
            for (int k = 0; k < 3; k++) {
                if (k != i) {
                    double other = Goertzel.power(heard[i], from, to, hz[k]);
                    assertThat(other).as("party %d hears %s Hz", i, hz[k]).isGreaterThan(1000 * Math.max(own, 1e-9));
                }
            }
        }
        // each party its own stream: seq +1 and timestamp +160 per frame
        assertThat(a.packetsOut).isEqualTo(FRAMES);
        assertThat(a.seq).isEqualTo(FRAMES);
        assertThat(a.timestamp).isEqualTo(FRAMES * 160);
    }

    @Test
    void theSumSaturatesInsteadOfWrapping() {
        Room room = new Room("r", 4);
        Party a = party(room, "a", G711.PCMU);
        Party b = party(room, "b", G711.PCMU);
        Party c = party(room, "c", G711.PCMA);
        short[] loud = new short[160];
        java.util.Arrays.fill(loud, (short) 30000);
        short[] heard = new short[160];
        for (int t = 0; t < 30; t++) {
            feed(a, t, loud);
            feed(b, t, loud);
            room.tick();
        }
        c.codec.decode(c.payload, 0, heard, 160);
        for (short s : heard) {
            assertThat(s).isGreaterThan((short) 30000); // 60000 clipped to full scale, not wrapped negative
        }
    }

    @Test
    void aSilentPartyNeverStallsTheOthers() {
        Room room = new Room("r", 4);
        Party a = party(room, "a", G711.PCMU);
        Party b = party(room, "b", G711.PCMU);
        Party quiet = party(room, "quiet", G711.PCMU);
        short[] heard = new short[FRAMES * 160];
        for (int t = 0; t < FRAMES; t++) {
            if (t % 7 != 3) { // b loses a frame now and then too
                feed(b, t, Goertzel.sine(900, 8000, t * 160L, 160));
            }
            room.tick();
            collect(a, heard, t);
        }
        assertThat(a.packetsOut).isEqualTo(FRAMES);
        assertThat(quiet.packetsOut).isEqualTo(FRAMES);
        assertThat(Goertzel.power(heard, 20 * 160, FRAMES * 160, 900)).isGreaterThan(1e5);
    }

    @Test
    void mutedHeldAndLobbyPartiesAreNotHeard() {
        Room room = new Room("r", 4);
        Party a = party(room, "a", G711.PCMU);
        Party muted = party(room, "m", G711.PCMU);
        muted.muted = true;
        Party held = party(room, "h", G711.PCMU);
        held.held = true;
        OfferedAudio offer = new OfferedAudio(G711.PCMU, 101, new InetSocketAddress("127.0.0.1", 4000), false, false,
                Direction.SENDRECV);
        Party lobby = new Party("call-l", "tag-l", "l", room, "1234", offer, 3, 7, 0, 0);
        room.add(lobby);
        short[] heard = new short[FRAMES * 160];
        for (int t = 0; t < FRAMES; t++) {
            feed(muted, t, Goertzel.sine(500, 8000, t * 160L, 160));
            feed(held, t, Goertzel.sine(900, 8000, t * 160L, 160));
            feed(lobby, t, Goertzel.sine(1400, 8000, t * 160L, 160));
            room.tick();
            collect(a, heard, t);
        }
        for (double hz : new double[] {500, 900, 1400}) {
            assertThat(Goertzel.power(heard, 20 * 160, FRAMES * 160, hz)).as("%s Hz", hz).isLessThan(10);
        }
        assertThat(held.packetsOut).isZero(); // a held party is not sent the mix
        assertThat(lobby.packetsOut).isEqualTo(FRAMES); // the lobby gets its prompts
    }

    @Test
    void aTickForOneHundredPartiesTakesWellUnderOneMillisecond() {
        MediaClock clock = new MediaClock(System::nanoTime);
        Party[] all = new Party[100];
        for (int r = 0; r < 10; r++) {
            Room room = new Room("r" + r, 10);
            clock.add(room);
            for (int p = 0; p < 10; p++) {
                all[r * 10 + p] = party(room, "p" + r + "-" + p, p % 2 == 0 ? G711.PCMU : G711.PCMA);
            }
        }
        byte[] frame = new byte[160];
        long best = Long.MAX_VALUE;
        long total = 0;
        int ticks = 2000;
        for (int t = 0; t < ticks; t++) {
            for (Party p : all) {
                p.jitter.put(t, frame, 0);
            }
            long start = System.nanoTime();
            clock.tick();
            long took = System.nanoTime() - start;
            if (t >= ticks / 2) {
                total += took;
                best = Math.min(best, took);
            }
        }
        long mean = total / (ticks / 2);
        System.out.printf("mixer tick, 100 parties in 10 rooms: mean %d us, best %d us%n", mean / 1000, best / 1000);
        assertThat(mean).isLessThan(1_000_000);
    }
}
