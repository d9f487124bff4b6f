package io.pinhole.relay.conference;

import java.util.Locale;

/** Where a party stands in its room; {@link #wire()} is the name {@code join} and {@code query} use. */
public enum PartyState {
    /** Waiting for the PIN: hears only prompts, is not heard. */
    LOBBY,
    /** In the room: hears the others, is heard (unless muted or held). */
    JOINED,
    /** Three wrong PINs: gets no more audio; the proxy hangs up. */
    REFUSED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
