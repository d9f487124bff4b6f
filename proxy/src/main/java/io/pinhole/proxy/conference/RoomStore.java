package io.pinhole.proxy.conference;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** The {@code conferences} table (V11). */
class RoomStore {

    private static final String SELECT = """
            SELECT d.name AS domain, c.name, c.pin, c.max_parties, c.created_at
              FROM conferences c JOIN domains d ON d.id = c.domain_id""";

    private final JdbcClient jdbc;

    RoomStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Room> all() {
        return jdbc.sql(SELECT + " ORDER BY d.name, c.name").query((rs, i) -> room(rs)).list();
    }

    List<Room> list(String domain) {
        return jdbc.sql(SELECT + " WHERE d.name = ? ORDER BY c.name").param(domain).query((rs, i) -> room(rs)).list();
    }

    Optional<Room> find(String domain, String name) {
        return jdbc.sql(SELECT + " WHERE d.name = ? AND c.name = ?").param(domain).param(name)
                .query((rs, i) -> room(rs)).optional();
    }

    /** @return false when the domain has a room of that name already (or the domain is gone) */
    boolean insert(String domain, String name, String pin, Integer maxParties) {
        return jdbc.sql("""
                        INSERT INTO conferences (domain_id, name, pin, max_parties)
                        SELECT id, ?, ?, ? FROM domains WHERE name = ?
                        ON CONFLICT (domain_id, name) DO NOTHING""")
                .param(name).param(pin).param(maxParties).param(domain).update() == 1;
    }

    boolean delete(String domain, String name) {
        return jdbc.sql("DELETE FROM conferences c USING domains d WHERE d.id = c.domain_id AND d.name = ? AND c.name = ?")
                .param(domain).param(name).update() == 1;
    }

    private static Room room(java.sql.ResultSet rs) throws java.sql.SQLException {
        Integer max = rs.getObject("max_parties", Integer.class);
        return new Room(rs.getString("domain"), rs.getString("name"), rs.getString("pin"), max,
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
