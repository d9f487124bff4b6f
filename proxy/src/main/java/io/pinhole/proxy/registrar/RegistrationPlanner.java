package io.pinhole.proxy.registrar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 3261 §10.3 steps 6-8 as a pure function: given the live bindings of an AOR and a
 * REGISTER, decide the new set of bindings or the error. Nothing is applied unless every
 * contact of the request is acceptable.
 */
public final class RegistrationPlanner {

    private RegistrationPlanner() {
    }

    public static RegistrationResult plan(RegisterRequest request, List<Binding> live, RegistrarPolicy policy) {
        if (request.wildcard()) {
            return removeAll(request, live);
        }
        if (request.contacts().isEmpty()) {
            return new RegistrationResult.Accepted(List.copyOf(live), List.of(), List.of());
        }
        Map<String, Binding> byKey = new LinkedHashMap<>();
        live.forEach(b -> byKey.put(b.key(), b));
        List<Binding> upserts = new ArrayList<>();
        List<Binding> removals = new ArrayList<>();
        for (ContactSpec contact : request.contacts()) {
            int expires = requestedExpires(contact, request, policy);
            if (expires < 0) {
                return new RegistrationResult.Rejected(400, "Invalid Expires value", null);
            }
            if (expires > 0 && expires < policy.minExpires()) {
                return new RegistrationResult.Rejected(423, "Interval Too Brief", policy.minExpires());
            }
            expires = Math.min(expires, policy.maxExpires());
            String key = contact.bindingKey();
            Binding previous = byKey.get(key);
            if (previous != null && outOfOrder(previous, request)) {
                return new RegistrationResult.Rejected(400, "CSeq lower than the binding's", null);
            }
            if (expires == 0) {
                if (previous != null) {
                    byKey.remove(key);
                    removals.add(previous);
                }
                continue;
            }
            Binding binding = new Binding(request.userId(), request.aor(), key, contact.uri(), request.callId(),
                    request.cseq(), contact.q(), expires, request.receivedAt().plusSeconds(expires), request.flow(),
                    contact.instanceId(), contact.regId(), request.userAgent());
            byKey.put(key, binding);
            upserts.add(binding);
        }
        if (byKey.size() > policy.maxContacts()) {
            return new RegistrationResult.Rejected(403, "Too many contacts (at most " + policy.maxContacts() + ")", null);
        }
        return new RegistrationResult.Accepted(List.copyOf(byKey.values()), upserts, removals);
    }

    private static RegistrationResult removeAll(RegisterRequest request, List<Binding> live) {
        if (!request.contacts().isEmpty()) {
            return new RegistrationResult.Rejected(400, "Contact: * must be the only Contact", null);
        }
        if (request.expiresHeader() == null || request.expiresHeader() != 0) {
            return new RegistrationResult.Rejected(400, "Contact: * requires Expires: 0", null);
        }
        for (Binding binding : live) {
            if (outOfOrder(binding, request)) {
                return new RegistrationResult.Rejected(400, "CSeq lower than the binding's", null);
            }
        }
        return new RegistrationResult.Accepted(List.of(), List.of(), List.copyOf(live));
    }

    private static int requestedExpires(ContactSpec contact, RegisterRequest request, RegistrarPolicy policy) {
        if (contact.expires() != null) {
            return contact.expires();
        }
        if (request.expiresHeader() != null) {
            return request.expiresHeader();
        }
        return policy.defaultExpires();
    }

    /** Same Call-ID and a CSeq not higher: a reordered or replayed request (§10.3 step 7). */
    private static boolean outOfOrder(Binding existing, RegisterRequest request) {
        return existing.callId().equals(request.callId()) && request.cseq() <= existing.cseq();
    }
}
