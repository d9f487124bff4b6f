package io.pinhole.proxy.directory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Domains and users in PostgreSQL. Callers validate input first; the schema checks again. */
@Repository
public class DirectoryRepository {

    private final JdbcClient jdbc;

    public DirectoryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<DirectoryUser> loadUsers() {
        return jdbc.sql("""
                        SELECT u.id, d.name AS domain, u.username, u.ha1_md5, u.ha1_sha256,
                               (u.enabled AND d.enabled) AS enabled
                        FROM users u JOIN domains d ON d.id = u.domain_id""")
                .query((rs, i) -> new DirectoryUser(rs.getLong("id"), rs.getString("domain"), rs.getString("username"),
                        rs.getString("ha1_md5"), rs.getString("ha1_sha256"), rs.getBoolean("enabled")))
                .list();
    }

    public List<Domain> listDomains() {
        return jdbc.sql("SELECT name, enabled, created_at FROM domains ORDER BY name")
                .query((rs, i) -> new Domain(rs.getString("name"), rs.getBoolean("enabled"),
                        rs.getObject("created_at", OffsetDateTime.class)))
                .list();
    }

    public Optional<Domain> findDomain(String name) {
        return jdbc.sql("SELECT name, enabled, created_at FROM domains WHERE name = ?")
                .param(name)
                .query((rs, i) -> new Domain(rs.getString("name"), rs.getBoolean("enabled"),
                        rs.getObject("created_at", OffsetDateTime.class)))
                .optional();
    }

    /** @return false when the domain already exists */
    public boolean createDomain(String name) {
        return jdbc.sql("INSERT INTO domains (name) VALUES (?) ON CONFLICT (name) DO NOTHING")
                .param(name).update() == 1;
    }

    public boolean setDomainEnabled(String name, boolean enabled) {
        return jdbc.sql("UPDATE domains SET enabled = ? WHERE name = ?").param(enabled).param(name).update() == 1;
    }

    /** Deletes the domain with its users and their bindings (ON DELETE CASCADE). */
    public boolean deleteDomain(String name) {
        return jdbc.sql("DELETE FROM domains WHERE name = ?").param(name).update() == 1;
    }

    public List<UserSummary> listUsers(String domain) {
        return jdbc.sql("""
                        SELECT u.username, d.name AS domain, u.display_name, u.enabled, u.created_at
                        FROM users u JOIN domains d ON d.id = u.domain_id
                        WHERE d.name = ? ORDER BY u.username""")
                .param(domain)
                .query((rs, i) -> new UserSummary(rs.getString("username"), rs.getString("domain"),
                        rs.getString("display_name"), rs.getBoolean("enabled"),
                        rs.getObject("created_at", OffsetDateTime.class)))
                .list();
    }

    public Optional<UserSummary> findUser(String domain, String username) {
        return jdbc.sql("""
                        SELECT u.username, d.name AS domain, u.display_name, u.enabled, u.created_at
                        FROM users u JOIN domains d ON d.id = u.domain_id
                        WHERE d.name = ? AND u.username = ?""")
                .param(domain).param(username)
                .query((rs, i) -> new UserSummary(rs.getString("username"), rs.getString("domain"),
                        rs.getString("display_name"), rs.getBoolean("enabled"),
                        rs.getObject("created_at", OffsetDateTime.class)))
                .optional();
    }

    /** @return false when the user already exists in that domain */
    public boolean createUser(String domain, String username, String displayName, String ha1Md5, String ha1Sha256) {
        return jdbc.sql("""
                        INSERT INTO users (domain_id, username, display_name, ha1_md5, ha1_sha256)
                        SELECT id, ?, ?, ?, ? FROM domains WHERE name = ?
                        ON CONFLICT (domain_id, username) DO NOTHING""")
                .param(username).param(displayName).param(ha1Md5).param(ha1Sha256).param(domain)
                .update() == 1;
    }

    public boolean setUserEnabled(String domain, String username, boolean enabled) {
        return jdbc.sql("""
                        UPDATE users SET enabled = ?, updated_at = now()
                        WHERE username = ? AND domain_id = (SELECT id FROM domains WHERE name = ?)""")
                .param(enabled).param(username).param(domain).update() == 1;
    }

    public boolean setUserDigests(String domain, String username, String ha1Md5, String ha1Sha256) {
        return jdbc.sql("""
                        UPDATE users SET ha1_md5 = ?, ha1_sha256 = ?, updated_at = now()
                        WHERE username = ? AND domain_id = (SELECT id FROM domains WHERE name = ?)""")
                .param(ha1Md5).param(ha1Sha256).param(username).param(domain).update() == 1;
    }

    public boolean setUserDisplayName(String domain, String username, String displayName) {
        return jdbc.sql("""
                        UPDATE users SET display_name = ?, updated_at = now()
                        WHERE username = ? AND domain_id = (SELECT id FROM domains WHERE name = ?)""")
                .param(displayName).param(username).param(domain).update() == 1;
    }

    public boolean deleteUser(String domain, String username) {
        return jdbc.sql("DELETE FROM users WHERE username = ? AND domain_id = (SELECT id FROM domains WHERE name = ?)")
                .param(username).param(domain).update() == 1;
    }
}
