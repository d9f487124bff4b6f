package io.pinhole.relay.conference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One conference room: its parties and its mixer.
 *
 * <h2>Threads</h2>
 * {@code members} is the control thread's view (limits, {@code query}); {@code live} is the
 * conference loop's (what the mixer ticks over). The control thread changes the loop's view only
 * by handing {@link #add} and {@link #remove} to the loop, so the mixer never sees a party
 * half added and needs no lock.
 */
public final class Room {

    private final String id;
    private final int capacity;
    private final List<Party> members = new ArrayList<>();

    private final Party[] live;
    private int liveCount;
    private final Mixer mixer;
    private final TonePlayer tone = new TonePlayer();
    private Party toneExcluded;

    Room(String id, int capacity) {
        this.id = id;
        this.capacity = capacity;
        this.live = new Party[capacity];
        this.mixer = new Mixer();
    }

    public String id() {
        return id;
    }

    /** The most parties this room takes (its own cap within the relay's ceiling). */
    public int capacity() {
        return capacity;
    }

    /** Control thread: the parties, in joining order. */
    public List<Party> members() {
        return Collections.unmodifiableList(members);
    }

    List<Party> membersForUpdate() {
        return members;
    }

    /** Conference loop: the party enters the mix; a joined one is announced with the join tone. */
    void add(Party p) {
        live[liveCount++] = p;
        if (p.state() == PartyState.JOINED) {
            joined(p);
        }
    }

    /** Conference loop: the party leaves the mix; if it was in the room, the others hear the leave tone. */
    void remove(Party p) {
        for (int i = 0; i < liveCount; i++) {
            if (live[i] == p) {
                live[i] = live[--liveCount];
                live[liveCount] = null;
                if (toneExcluded == p) {
                    toneExcluded = null;
                }
                if (p.state() == PartyState.JOINED && liveCount > 0) {
                    tone.start(Tones.LEAVE);
                }
                return;
            }
        }
    }

    /** Conference loop: a party is now in the room (at once, or after its PIN). */
    void joined(Party p) {
        tone.start(Tones.JOIN);
        toneExcluded = p;
    }

    /** Conference loop: one 20 ms frame for every party. */
    void tick() {
        mixer.mix(live, liveCount, tone, toneExcluded);
    }

    int liveCount() {
        return liveCount;
    }
}
