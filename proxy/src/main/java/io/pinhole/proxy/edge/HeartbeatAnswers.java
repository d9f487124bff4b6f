package io.pinhole.proxy.edge;

import io.pinhole.sip.StatelessAnswers;

/**
 * The answers to {@link EdgeHeartbeats}' OPTIONS, taken by their Call-ID ({@value #PREFIX}{@code
 * <agent id>-<n>@host}) before the stack looks for a transaction: each one tells {@link EdgeFlows}
 * that agent is alive. Any answer counts, whatever its status: it came back over the connection.
 */
final class HeartbeatAnswers implements StatelessAnswers {

    static final String PREFIX = "edge-hb-";

    private final EdgeFlows edges;

    HeartbeatAnswers(EdgeFlows edges) {
        this.edges = edges;
    }

    @Override
    public String callIdPrefix() {
        return PREFIX;
    }

    @Override
    public void answered(String callId) {
        String agentId = agentOf(callId);
        if (agentId != null) {
            edges.heard(agentId);
        }
    }

    /** The agent id in a heartbeat's Call-ID, or null when it has none. */
    static String agentOf(String callId) {
        int at = callId.indexOf('@');
        String body = callId.substring(Math.min(PREFIX.length(), callId.length()), at < 0 ? callId.length() : at);
        int dash = body.lastIndexOf('-');
        return dash > 0 ? body.substring(0, dash) : null;
    }
}
