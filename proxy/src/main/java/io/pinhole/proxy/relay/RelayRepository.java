package io.pinhole.proxy.relay;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;

/** The relay pool in PostgreSQL. */
@Repository
public class RelayRepository {

    /** One enabled relay; a draining one stays in the pool but gets no new call. */
    public record RelayRow(long id, String name, String host, int port, int weight, boolean draining) {
    }

    private final JdbcClient jdbc;

    public RelayRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<RelayRow> enabled() {
        return jdbc.sql("""
                        SELECT id, name, control_host, control_port, weight, draining
                          FROM relays WHERE enabled AND weight > 0 ORDER BY id""")
                .query((rs, i) -> new RelayRow(rs.getLong("id"), rs.getString("name"), rs.getString("control_host"),
                        rs.getInt("control_port"), rs.getInt("weight"), rs.getBoolean("draining")))
                .list();
    }
}
