package io.pinhole.proxy.edge;

import io.pinhole.proxy.sip.Flow;

import java.time.Instant;
import java.util.List;

/**
 * Where {@link EdgeFlows} keeps which agent each connection belonged to, so a proxy restart does not
 * lose it: the phones' bindings name the connection they registered over, and only this says whose
 * it was once the agent reconnects on a new one.
 */
public interface EdgeFlowStore {

    /** A connection an agent registered over, and when it last did. */
    record Row(Flow flow, String agentId, Instant lastRegistered) {
    }

    /** Keeps nothing: for tests, and for a proxy that need not survive restarts. */
    EdgeFlowStore MEMORY = new EdgeFlowStore() {
        @Override
        public List<Row> load(Instant since) {
            return List.of();
        }

        @Override
        public void save(Row row, Instant forgetBefore) {
            // memory only
        }
    };

    /** The connections agents registered over since {@code since}; at start, so it may block. */
    List<Row> load(Instant since);

    /** Stores the row and forgets rows older than {@code forgetBefore}; must not block the caller. */
    void save(Row row, Instant forgetBefore);
}
