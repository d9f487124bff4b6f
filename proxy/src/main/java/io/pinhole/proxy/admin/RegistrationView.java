package io.pinhole.proxy.admin;

import io.pinhole.proxy.registrar.Binding;

import java.time.Instant;

/** A binding as the admin API lists it. */
public record RegistrationView(String aor, String contact, Instant expiresAt, long expiresIn, String sourceAddress,
                               int sourcePort, String transport, String instanceId, Integer regId, Float q,
                               String userAgent, String keepalive, String keepaliveReason, Boolean reachable,
                               io.pinhole.proxy.probe.Capabilities capabilities) {

    /**
     * @param keepalive how the flow is kept open (NONE, OPTIONS, CRLF), null before it is planned
     * @param reachable whether the binding answers its pings; null when it is not pinged
     */
    static RegistrationView of(Binding b, Instant now, io.pinhole.proxy.keepalive.PingBook pings,
                               io.pinhole.proxy.probe.CapabilityBook capabilities) {
        var plan = pings.plan(b);
        return new RegistrationView(b.aor(), b.contactUri(), b.expiresAt(), b.remainingSeconds(now), b.flow().address(),
                b.flow().port(), b.flow().transport(), b.instanceId(), b.regId(), b.q(), b.userAgent(),
                plan == null ? null : plan.method().name(), plan == null ? null : plan.reason(),
                pings.reachable(b).orElse(null), capabilities.of(b).orElse(null));
    }
}
