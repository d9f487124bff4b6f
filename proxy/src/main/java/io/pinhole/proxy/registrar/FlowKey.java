package io.pinhole.proxy.registrar;

import io.pinhole.proxy.sip.Flow;

/**
 * What tells one registered flow from another: the binding's key and the flow it registered over.
 * A refresh keeps it; a phone that comes back over another NAT mapping gets a new one. A record
 * rather than a concatenated string: the keepalive pinger and the capability probe look every
 * accepted REGISTER up by it, and a record compares the binding's own strings (their hashes
 * cached) instead of copying them into a new string per look-up.
 */
public record FlowKey(String aor, String key, Flow flow) {
}
