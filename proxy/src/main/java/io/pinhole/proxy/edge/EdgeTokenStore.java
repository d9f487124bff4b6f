package io.pinhole.proxy.edge;

import java.util.Map;

/** Where the edge agents' live tokens are read from (the {@code edge_agent_tokens} table). */
public interface EdgeTokenStore {

    /** Every token neither revoked nor of a disabled user or domain, by the SHA-256 (hex) of the token. */
    Map<String, EdgeTokenCheck.Entry> live();

    /** The token was used to log in now (best effort, off the caller's thread). */
    void used(long id);
}
