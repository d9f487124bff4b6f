package io.pinhole.relay.conference;

import java.net.InetSocketAddress;

/**
 * One tick of one room: every heard party's frame goes into one sum, and each party gets that
 * sum minus its own frame, plus the room's tone (join/leave) and its own tone (PIN prompt),
 * clipped to 16 bits and encoded in its own codec. Held and refused parties get nothing; a party
 * in the lobby gets only its own tones. Preallocated buffers only: nothing is allocated per tick.
 * Confined to the conference loop.
 */
final class Mixer {

    static final int N = JitterBuffer.FRAME_BYTES;

    private final int[] sum = new int[N];
    private final int[] roomTone = new int[N];
    private final int[] line = new int[N];

    void mix(Party[] parties, int count, TonePlayer tone, Party toneExcluded) {
        java.util.Arrays.fill(sum, 0);
        for (int p = 0; p < count; p++) {
            Party party = parties[p];
            G711 codec = party.codec;
            byte[] frame = party.jitter.take();
            party.heard = frame != null && party.state() == PartyState.JOINED && !party.muted && !party.held
                    && !party.listenOnly;
            if (party.heard) {
                short[] own = party.own;
                codec.decode(frame, 0, own, N);
                for (int i = 0; i < N; i++) {
                    sum[i] += own[i];
                }
            }
        }
        boolean toneOn = tone.playing();
        if (toneOn) {
            java.util.Arrays.fill(roomTone, 0);
            tone.addTo(roomTone, N);
        }
        for (int p = 0; p < count; p++) {
            Party party = parties[p];
            PartyState state = party.state();
            if (state == PartyState.REFUSED || party.held) {
                party.timestamp += N; // the clock runs on while nothing is sent
                continue;
            }
            int[] l = line;
            if (state == PartyState.LOBBY) {
                java.util.Arrays.fill(l, 0);
                if (--party.promptCountdown <= 0) {
                    party.tone.start(Tones.PROMPT);
                    party.promptCountdown = Tones.PROMPT_INTERVAL_TICKS;
                }
            } else if (party.heard) {
                short[] own = party.own;
                for (int i = 0; i < N; i++) {
                    l[i] = sum[i] - own[i];
                }
            } else {
                System.arraycopy(sum, 0, l, 0, N);
            }
            if (toneOn && state == PartyState.JOINED && party != toneExcluded) {
                for (int i = 0; i < N; i++) {
                    l[i] += roomTone[i];
                }
            }
            party.tone.addTo(l, N);
            encode(l, party.codec, party.payload);
            transmit(party);
        }
    }

    /** Clips each sample to 16 bits (a saturating sum: loud rooms distort, they never wrap) and encodes it. */
    static void encode(int[] samples, G711 codec, byte[] out) {
        for (int i = 0; i < N; i++) {
            int s = samples[i];
            if (s > Short.MAX_VALUE) {
                s = Short.MAX_VALUE;
            } else if (s < Short.MIN_VALUE) {
                s = Short.MIN_VALUE;
            }
            out[i] = codec.encode(s);
        }
    }

    private static void transmit(Party party) {
        InetSocketAddress to = party.target();
        int seq = party.seq;
        int ts = party.timestamp;
        party.timestamp = ts + N;
        if (party.out != null) {
            if (to == null || !party.out.send(to, party.codec.payloadType(), seq, ts, party.ssrc, party.payload)) {
                return; // nowhere to send yet, or the socket is backed up: no sequence number used
            }
        }
        party.seq = (seq + 1) & 0xFFFF;
        party.packetsOut++;
        party.bytesOut += FrameOut.HEADER + N;
    }
}
