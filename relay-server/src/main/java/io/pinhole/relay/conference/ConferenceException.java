package io.pinhole.relay.conference;

/**
 * A join or party command the relay refuses; the message is the ng {@code error-reason} and
 * starts with the contract's words ({@code room full}, {@code too many rooms}, {@code no common
 * codec}, {@code invalid}, {@code no ports}, {@code unknown call}, {@code unknown room}) so the
 * proxy can map it.
 */
public final class ConferenceException extends Exception {

    public ConferenceException(String reason) {
        super(reason, null, false, false);
    }
}
