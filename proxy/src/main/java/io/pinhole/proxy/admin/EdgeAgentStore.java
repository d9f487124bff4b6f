package io.pinhole.proxy.admin;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.OptionalLong;

/** The {@code edge_agent_tokens} table for the admin API (the proxy's SIP side reads it through EdgeTokens). */
@Repository
class EdgeAgentStore {

    private final JdbcClient jdbc;

    EdgeAgentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Live tokens first, then revoked ones, each oldest first. */
    List<EdgeAgentView> all() {
        return jdbc.sql("""
                        SELECT t.name, u.username || '@' || d.name AS aor, t.created_at, t.last_used_at, t.revoked_at
                        FROM edge_agent_tokens t JOIN users u ON u.id = t.user_id JOIN domains d ON d.id = u.domain_id
                        ORDER BY t.revoked_at IS NOT NULL, t.id""")
                .query((rs, i) -> view(rs)).list();
    }

    OptionalLong userId(String user, String domain) {
        return jdbc.sql("SELECT u.id FROM users u JOIN domains d ON d.id = u.domain_id WHERE u.username = ? AND d.name = ?")
                .params(user, domain).query(Long.class).optional().map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** @return false when a live token of that name exists */
    boolean insert(String name, long userId, String sha256) {
        return jdbc.sql("""
                        INSERT INTO edge_agent_tokens (name, user_id, token_sha256) VALUES (?, ?, ?)
                        ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING""")
                .params(name, userId, sha256).update() == 1;
    }

    /** @return false when no live token has that name */
    boolean revoke(String name) {
        return jdbc.sql("UPDATE edge_agent_tokens SET revoked_at = now() WHERE name = ? AND revoked_at IS NULL")
                .param(name).update() == 1;
    }

    private static EdgeAgentView view(ResultSet rs) throws SQLException {
        return new EdgeAgentView(rs.getString("name"), rs.getString("aor"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("last_used_at", OffsetDateTime.class), rs.getObject("revoked_at", OffsetDateTime.class));
    }
}
