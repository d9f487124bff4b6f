package io.pinhole.proxy.cluster;

import java.util.Optional;

/**
 * What a notification on {@code pinhole_registrations} says (V16__binding_owner.sql): one user's
 * bindings changed, or all of them may have (TRUNCATE).
 */
public sealed interface RegistrationChange {

    record User(long userId) implements RegistrationChange {
    }

    record All() implements RegistrationChange {
    }

    /** The change a payload names; empty for one this proxy does not understand (logged, then a full reload). */
    static Optional<RegistrationChange> parse(String payload) {
        if (payload == null) {
            return Optional.empty();
        }
        String text = payload.strip();
        if (text.equals("*")) {
            return Optional.of(new All());
        }
        if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        try {
            return Optional.of(new User(Long.parseLong(text)));
        } catch (NumberFormatException e) {
            return Optional.empty(); // past Long.MAX_VALUE
        }
    }
}
