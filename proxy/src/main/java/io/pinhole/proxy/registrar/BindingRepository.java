package io.pinhole.proxy.registrar;

import io.pinhole.proxy.sip.Flow;
import io.pinhole.proxy.cluster.ClusterProperties;
import io.pinhole.proxy.cluster.ClusterView;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/** Bindings in PostgreSQL: what a restarted or second proxy reads to know every phone. */
@Repository
public class BindingRepository {

    /**
     * A batch of bindings as one statement, one array per column: sent as one statement per row (a
     * JDBC batch), 2,000 REGISTERs/s cost PostgreSQL an executor start and a trigger call per row
     * (bench/register), and V20's statement-level trigger runs once per statement. The batch holds
     * each (user, key) once (the writer keeps the last change per binding), which ON CONFLICT needs.
     * The expiry travels as microseconds since the epoch, rounded as pgjdbc rounds a timestamp.
     */
    private static final String UPSERT = """
            INSERT INTO registrations (user_id, binding_key, contact_uri, call_id, cseq, q, expires_seconds,
                                       expires_at, source_address, source_port, transport, instance_id, reg_id,
                                       user_agent, owner, registered_at)
            SELECT b.user_id, b.binding_key, b.contact_uri, b.call_id, b.cseq, b.q, b.expires_seconds,
                   timestamptz 'epoch' + b.expires_us * interval '1 microsecond', b.source_address::inet,
                   b.source_port, b.transport, b.instance_id, b.reg_id, b.user_agent, ?::text, now()
            FROM unnest(?::int8[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::float4[], ?::int4[], ?::int8[],
                        ?::text[], ?::int4[], ?::text[], ?::text[], ?::int4[], ?::text[])
                AS b(user_id, binding_key, contact_uri, call_id, cseq, q, expires_seconds, expires_us,
                     source_address, source_port, transport, instance_id, reg_id, user_agent)
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

    /** A batch of (user, key) pairs as one statement, as {@link #UPSERT}. */
    private static final String DELETE = """
            DELETE FROM registrations r USING unnest(?::int8[], ?::text[]) AS d(user_id, binding_key)
            WHERE r.user_id = d.user_id AND r.binding_key = d.binding_key""";

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
        jdbcTemplate.update(connection -> upsertStatement(connection, bindings));
    }

    public void upsert(Binding binding) {
        upsertAll(List.of(binding));
    }

    public void deleteAll(List<Binding> bindings) {
        jdbcTemplate.update(connection -> {
            PreparedStatement ps = connection.prepareStatement(DELETE);
            ps.setArray(1, column(connection, "int8", bindings, Long[]::new, Binding::userId));
            ps.setArray(2, column(connection, "text", bindings, String[]::new, Binding::key));
            return ps;
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

    private PreparedStatement upsertStatement(Connection connection, List<Binding> bindings) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(UPSERT);
        ps.setString(1, cluster.ownerName()); // only this proxy's own bindings are ever written by it
        ps.setArray(2, column(connection, "int8", bindings, Long[]::new, Binding::userId));
        ps.setArray(3, column(connection, "text", bindings, String[]::new, Binding::key));
        ps.setArray(4, column(connection, "text", bindings, String[]::new, Binding::contactUri));
        ps.setArray(5, column(connection, "text", bindings, String[]::new, Binding::callId));
        ps.setArray(6, column(connection, "int8", bindings, Long[]::new, Binding::cseq));
        ps.setArray(7, column(connection, "float4", bindings, Float[]::new, Binding::q));
        ps.setArray(8, column(connection, "int4", bindings, Integer[]::new, Binding::expiresSeconds));
        ps.setArray(9, column(connection, "int8", bindings, Long[]::new, b -> epochMicros(b.expiresAt())));
        ps.setArray(10, column(connection, "text", bindings, String[]::new, b -> b.flow().address()));
        ps.setArray(11, column(connection, "int4", bindings, Integer[]::new, b -> b.flow().port()));
        ps.setArray(12, column(connection, "text", bindings, String[]::new, b -> b.flow().transport()));
        ps.setArray(13, column(connection, "text", bindings, String[]::new, Binding::instanceId));
        ps.setArray(14, column(connection, "int4", bindings, Integer[]::new, Binding::regId));
        ps.setArray(15, column(connection, "text", bindings, String[]::new, Binding::userAgent));
        return ps;
    }

    /** One column of {@code bindings} as a typed SQL array (its element type {@code sqlType}), for unnest. */
    private static <T> Array column(Connection connection, String sqlType, List<Binding> bindings,
                                    IntFunction<T[]> newArray, Function<Binding, T> value) throws SQLException {
        T[] values = newArray.apply(bindings.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = value.apply(bindings.get(i));
        }
        return connection.createArrayOf(sqlType, values);
    }

    /** Microseconds since the epoch, rounded half up as pgjdbc rounds a {@code Timestamp}'s nanoseconds. */
    static long epochMicros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + (instant.getNano() + 500) / 1000;
    }
}
