package io.pinhole.proxy.admin;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** The {@code relays} table for the admin API (the pool reads it through RelayRepository). */
@Repository
class RelayStore {

    record Row(long id, String name, String controlHost, int controlPort, String mediaAddress, int weight,
               boolean enabled, boolean draining, OffsetDateTime createdAt) {
    }

    private static final String SELECT = """
            SELECT id, name, control_host, control_port, host(media_address) AS media_address, weight, enabled,
                   draining, created_at FROM relays""";

    private final JdbcClient jdbc;

    RelayStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Row> all() {
        return jdbc.sql(SELECT + " ORDER BY id").query((rs, i) -> row(rs)).list();
    }

    Optional<Row> find(String name) {
        return jdbc.sql(SELECT + " WHERE name = ?").param(name).query((rs, i) -> row(rs)).optional();
    }

    /** @return false when a relay of that name exists */
    boolean insert(String name, String host, int port, String mediaAddress, int weight, boolean enabled,
                   boolean draining) {
        return jdbc.sql("""
                        INSERT INTO relays (name, control_host, control_port, media_address, weight, enabled, draining)
                        VALUES (?, ?, ?, ?::inet, ?, ?, ?) ON CONFLICT (name) DO NOTHING""")
                .params(name, host, port, mediaAddress, weight, enabled, draining).update() == 1;
    }

    boolean update(String name, int weight, boolean enabled, boolean draining) {
        return jdbc.sql("UPDATE relays SET weight = ?, enabled = ?, draining = ? WHERE name = ?")
                .params(weight, enabled, draining, name).update() == 1;
    }

    boolean delete(String name) {
        return jdbc.sql("DELETE FROM relays WHERE name = ?").param(name).update() == 1;
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong("id"), rs.getString("name"), rs.getString("control_host"), rs.getInt("control_port"),
                rs.getString("media_address"), rs.getInt("weight"), rs.getBoolean("enabled"), rs.getBoolean("draining"),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
