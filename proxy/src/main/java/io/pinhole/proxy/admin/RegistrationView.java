package io.pinhole.proxy.admin;

import io.pinhole.proxy.registrar.Binding;

import java.time.Instant;

/** A binding as the admin API lists it. */
public record RegistrationView(String aor, String contact, Instant expiresAt, long expiresIn, String sourceAddress,
                               int sourcePort, String transport, String instanceId, Integer regId, Float q,
                               String userAgent) {

    static RegistrationView of(Binding b, Instant now) {
        return new RegistrationView(b.aor(), b.contactUri(), b.expiresAt(), b.remainingSeconds(now), b.flow().address(),
                b.flow().port(), b.flow().transport(), b.instanceId(), b.regId(), b.q(), b.userAgent());
    }
}
