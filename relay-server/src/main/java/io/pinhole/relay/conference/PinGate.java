package io.pinhole.relay.conference;

/**
 * The lobby: a party joined with a PIN waits here until it keys the PIN. Digits are compared
 * when as many as the PIN has were keyed, or on {@code #}; {@code *} starts the entry over. A
 * wrong attempt counts and clears the entry; the third ({@link #ATTEMPTS}) refuses the party.
 * No allocation per key. Keys come from the conference loop; {@link #state()} and
 * {@link #failures()} are read by the control thread for {@code query} (volatile).
 */
final class PinGate {

    static final int ATTEMPTS = 3;

    /** What a key did. */
    enum Outcome { NONE, JOINED, WRONG, REFUSED }

    private final char[] pin;
    private final char[] entered;
    private int length;
    private volatile PartyState state;
    private volatile int failures;

    /** @param pin the room PIN for this party, or null for none (the party is joined at once) */
    PinGate(String pin) {
        this.pin = pin == null ? new char[0] : pin.toCharArray();
        this.entered = new char[this.pin.length];
        this.state = pin == null ? PartyState.JOINED : PartyState.LOBBY;
    }

    /** A valid PIN: 1 to 16 digits 0-9. */
    static boolean valid(String pin) {
        if (pin == null || pin.isEmpty() || pin.length() > 16) {
            return false;
        }
        for (int i = 0; i < pin.length(); i++) {
            if (pin.charAt(i) < '0' || pin.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    Outcome key(char key) {
        if (state != PartyState.LOBBY || key == 0) {
            return Outcome.NONE;
        }
        if (key == '*') {
            length = 0;
            return Outcome.NONE;
        }
        if (key == '#') {
            return length == 0 ? Outcome.NONE : compare();
        }
        entered[length++] = key;
        return length == pin.length ? compare() : Outcome.NONE;
    }

    private Outcome compare() {
        boolean right = length == pin.length;
        for (int i = 0; right && i < length; i++) {
            right = entered[i] == pin[i];
        }
        length = 0;
        if (right) {
            state = PartyState.JOINED;
            return Outcome.JOINED;
        }
        failures++;
        if (failures >= ATTEMPTS) {
            state = PartyState.REFUSED;
            return Outcome.REFUSED;
        }
        return Outcome.WRONG;
    }

    PartyState state() {
        return state;
    }

    int failures() {
        return failures;
    }
}
