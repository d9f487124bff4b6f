package io.pinhole.proxy.registrar;

import java.util.List;

/** The registrar's decision for one REGISTER. */
public sealed interface RegistrationResult {

    /**
     * @param bindings every live binding of the AOR after the request (the 200 OK lists them)
     * @param upserts  bindings created or refreshed
     * @param removals bindings removed
     */
    record Accepted(List<Binding> bindings, List<Binding> upserts, List<Binding> removals)
            implements RegistrationResult {
        public boolean changed() {
            return !upserts.isEmpty() || !removals.isEmpty();
        }
    }

    /** @param minExpires the Min-Expires header of a 423, else null */
    record Rejected(int status, String reason, Integer minExpires) implements RegistrationResult {
    }
}
