package io.pinhole.proxy.call;

import io.pinhole.proxy.cluster.PeerAddress;

import java.util.Optional;

/**
 * Who places a call, as {@link InviteGate} admitted it.
 *
 * @param aor    the caller's address of record, {@code user@domain} (domain in lower case)
 * @param local  the caller's domain is served here
 * @param viaPeer the proxy of the cluster the INVITE came from (which authenticated the caller), if any
 */
record Caller(String aor, boolean local, Optional<PeerAddress> viaPeer) {
}
