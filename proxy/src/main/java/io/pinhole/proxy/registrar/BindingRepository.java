package io.pinhole.proxy.registrar;

import io.pinhole.proxy.sip.Flow;
import io.pinhole.proxy.cluster.ClusterProperties;
import io.pinhole.proxy.cluster.ClusterView;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;

/** Bindings in PostgreSQL: what a restarted or second proxy reads to know every phone. */
@Repository
public class BindingRepository {

    private static final String UPSERT = """
            INSERT INTO registrations (user_id, binding_key, contact_uri, call_id, cseq, q, expires_seconds,
                                       expires_at, source_address, source_port, transport, instance_id, reg_id,
                                       user_agent, owner, registered_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::inet, ?, ?, ?, ?, ?, ?, now())
            ON CONFLICT (user_id, binding_key) DO UPDATE SET
                contact_uri = EXCLUDED.contact_uri, call_id = EXCLUDED.call_id, cseq = EXCLUDED.cseq,
                q = EXCLUDED.q, expires_seconds = EXCLUDED.expires_seconds, expires_at = EXCLUDED.expires_at,
                source_address = EXCLUDED.source_address, source_port = EXCLUDED.source_port,
                transport = EXCLUDED.transport, instance_id = EXCLUDED.instance_id, reg_id = EXCLUDED.reg_id,
                user_agent = EXCLUDED.user_agent, owner = EXCLUDED.owner, registered_at = now()""";

    private static final String SELECT_LIVE = """
            SELECT r.*, host(r.source_address) AS source_host, u.username, d.name AS domain
            FROM registrations r JOIN users u ON u.id = r.user_id JOIN domains d ON d.id = u.domain_id
            WHERE r.expires_at > now()""";

    private static final String DELETE = "DELETE FROM registrations WHERE user_id = ? AND binding_key = ?";

    private final JdbcTemplate jdbcTemplate;
    private final JdbcClient jdbc;
    private final ClusterView cluster;

    public BindingRepository(JdbcTemplate jdbcTemplate, JdbcClient jdbc, ClusterProperties cluster) {
        this.jdbcTemplate = jdbcTemplate;
        this.jdbc = jdbc;
        this.cluster = cluster.view();
    }

    /** Every live binding; those of other proxies of the cluster carry their owner. */
    public List<Binding> loadLive() {
        return jdbc.sql(SELECT_LIVE).query(this::binding).list();
    }

    /** One user's live bindings, after a notification that they changed. */
    public List<Binding> loadLive(long userId) {
        return jdbc.sql(SELECT_LIVE + " AND r.user_id = ?").param(userId).query(this::binding).list();
    }

    /** The address of record of a user, empty when the user no longer exists. */
    public java.util.Optional<String> aorOf(long userId) {
        return jdbc.sql("SELECT u.username || '@' || d.name FROM users u JOIN domains d ON d.id = u.domain_id WHERE u.id = ?")
                .param(userId).query(String.class).optional();
    }

    private Binding binding(java.sql.ResultSet rs, int row) throws SQLException {
        return new Binding(
                        rs.getLong("user_id"),
                        rs.getString("username") + "@" + rs.getString("domain"),
                        rs.getString("binding_key"),
                        rs.getString("contact_uri"),
                        rs.getString("call_id"),
                        rs.getLong("cseq"),
                        rs.getObject("q") == null ? null : rs.getFloat("q"),
                        rs.getInt("expires_seconds"),
                        rs.getTimestamp("expires_at").toInstant(),
                        new Flow(rs.getString("source_host"), rs.getInt("source_port"), rs.getString("transport")),
                        rs.getString("instance_id"),
                        rs.getObject("reg_id") == null ? null : rs.getInt("reg_id"),
                        rs.getString("user_agent"),
                        cluster.foreignOwner(rs.getString("owner")));
    }

    public void upsertAll(List<Binding> bindings) {
        jdbcTemplate.batchUpdate(UPSERT, bindings, bindings.size(), this::bindUpsert);
    }

    public void upsert(Binding binding) {
        jdbcTemplate.update(UPSERT, ps -> bindUpsert(ps, binding));
    }

    public void deleteAll(List<Binding> bindings) {
        jdbcTemplate.batchUpdate(DELETE, bindings, bindings.size(), (ps, b) -> {
            ps.setLong(1, b.userId());
            ps.setString(2, b.key());
        });
    }

    public void deleteForUser(long userId) {
        jdbc.sql("DELETE FROM registrations WHERE user_id = ?").param(userId).update();
    }

    public void deleteForDomain(String domain) {
        jdbc.sql("""
                DELETE FROM registrations WHERE user_id IN
                    (SELECT u.id FROM users u JOIN domains d ON d.id = u.domain_id WHERE d.name = ?)""")
                .param(domain).update();
    }

    public int deleteExpired() {
        return jdbc.sql("DELETE FROM registrations WHERE expires_at <= now()").update();
    }

    private void bindUpsert(PreparedStatement ps, Binding b) throws SQLException {
        ps.setLong(1, b.userId());
        ps.setString(2, b.key());
        ps.setString(3, b.contactUri());
        ps.setString(4, b.callId());
        ps.setLong(5, b.cseq());
        if (b.q() == null) {
            ps.setNull(6, Types.REAL);
        } else {
            ps.setFloat(6, b.q());
        }
        ps.setInt(7, b.expiresSeconds());
        ps.setTimestamp(8, Timestamp.from(b.expiresAt()));
        ps.setString(9, b.flow().address());
        ps.setInt(10, b.flow().port());
        ps.setString(11, b.flow().transport());
        ps.setString(12, b.instanceId());
        if (b.regId() == null) {
            ps.setNull(13, Types.INTEGER);
        } else {
            ps.setInt(13, b.regId());
        }
        ps.setString(14, b.userAgent());
        ps.setString(15, cluster.ownerName()); // only this proxy's own bindings are ever written by it
    }
}
