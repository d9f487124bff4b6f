package io.pinhole.proxy.registrar;

import io.pinhole.proxy.sip.Flow;
import java.time.Instant;
import java.util.List;

/**
 * The parts of an authenticated REGISTER that decide what happens to the bindings.
 *
 * @param expiresHeader the Expires header value, or null
 * @param wildcard      {@code Contact: *}
 */
public record RegisterRequest(
        long userId,
        String aor,
        String callId,
        long cseq,
        Integer expiresHeader,
        boolean wildcard,
        List<ContactSpec> contacts,
        Flow flow,
        String userAgent,
        Instant receivedAt) {

    public RegisterRequest {
        contacts = List.copyOf(contacts);
    }
}
