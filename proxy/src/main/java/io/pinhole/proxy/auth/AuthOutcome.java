package io.pinhole.proxy.auth;

import io.pinhole.proxy.directory.DirectoryUser;

/** What to do with a request after checking its credentials. */
public sealed interface AuthOutcome {

    /** The request carries a valid answer for this user. */
    record Authorized(DirectoryUser user) implements AuthOutcome {
    }

    /** Send a fresh challenge ({@code stale} when only the nonce was too old). */
    record Challenge(boolean stale, String cause) implements AuthOutcome {
    }

    /** Refuse with 403 and this reason phrase. */
    record Forbidden(String reason) implements AuthOutcome {
    }
}
