package io.pinhole.proxy.admin;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code routes} table for the admin API. Every write fires the table's trigger, which
 * notifies the redirect servers (LISTEN pinhole_routes) once the statement commits.
 */
@Repository
class RouteStore {

    /** A route with what the API never shows: whether each HA1 digest is stored. */
    record Stored(RouteView view, String ha1Md5, String ha1Sha256) {
    }

    /** The columns a write sets; digests null when the route has no credentials. */
    record Row(String matchUser, String matchDomain, String matchPrefix, String targetUri, String kind, float priority,
               int weight, boolean permanent, Integer expiresSeconds, boolean enabled, String intlPrefix,
               String nationalPrefix, String countryCode, boolean plusOptional, String numberFormat, String transport,
               String authUsername, String authRealm, String ha1Md5, String ha1Sha256) {
    }

    private static final String COLUMNS = """
            id, match_user, match_domain, match_prefix, target_uri, kind, priority, weight, permanent,
            expires_seconds, enabled, intl_prefix, national_prefix, country_code, plus_optional, number_format,
            transport, auth_username, auth_realm, auth_ha1_md5, auth_ha1_sha256, created_at""";

    private final JdbcClient jdbc;

    RouteStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param domain routes for this domain (any case), or null
     * @param prefix routes whose number prefix starts with this ('+'? digits: no LIKE wildcards), or null
     */
    Page<RouteView> list(String domain, String prefix, Page.Window window) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> params = new ArrayList<>();
        if (domain != null) {
            where.append(" AND lower(match_domain) = lower(?)");
            params.add(domain);
        }
        if (prefix != null) {
            where.append(" AND match_prefix LIKE ?");
            params.add(prefix + "%");
        }
        long total = jdbc.sql("SELECT count(*) FROM routes" + where).params(params).query(Long.class).single();
        List<Object> paged = new ArrayList<>(params);
        paged.add(window.limit());
        paged.add(window.offset());
        List<RouteView> items = jdbc.sql("SELECT " + COLUMNS + " FROM routes" + where + " ORDER BY id LIMIT ? OFFSET ?")
                .params(paged).query((rs, i) -> view(rs)).list();
        return new Page<>(total, window.limit(), window.offset(), items);
    }

    Optional<Stored> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM routes WHERE id = ?").param(id)
                .query((rs, i) -> new Stored(view(rs), rs.getString("auth_ha1_md5"), rs.getString("auth_ha1_sha256")))
                .optional();
    }

    /** Whether another route has the same match and target (a second copy would only double its weight). */
    boolean duplicates(Row r, Long exceptId) {
        return jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM routes
                                        WHERE match_user IS NOT DISTINCT FROM ? AND match_domain IS NOT DISTINCT FROM ?
                                          AND match_prefix IS NOT DISTINCT FROM ? AND target_uri = ?
                                          AND id IS DISTINCT FROM ?)""")
                .params(r.matchUser(), r.matchDomain(), r.matchPrefix(), r.targetUri(), exceptId)
                .query(Boolean.class).single();
    }

    long insert(Row r) {
        return jdbc.sql("""
                        INSERT INTO routes (match_user, match_domain, match_prefix, target_uri, kind, priority, weight,
                                            permanent, expires_seconds, enabled, intl_prefix, national_prefix,
                                            country_code, plus_optional, number_format, transport, auth_username,
                                            auth_realm, auth_ha1_md5, auth_ha1_sha256)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(values(r)).query(Long.class).single();
    }

    /** @return false when there is no such route */
    boolean update(long id, Row r) {
        List<Object> params = values(r);
        params.add(id);
        return jdbc.sql("""
                        UPDATE routes SET match_user = ?, match_domain = ?, match_prefix = ?, target_uri = ?, kind = ?,
                                          priority = ?, weight = ?, permanent = ?, expires_seconds = ?, enabled = ?,
                                          intl_prefix = ?, national_prefix = ?, country_code = ?, plus_optional = ?,
                                          number_format = ?, transport = ?, auth_username = ?, auth_realm = ?,
                                          auth_ha1_md5 = ?, auth_ha1_sha256 = ?
                         WHERE id = ?""")
                .params(params).update() == 1;
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM routes WHERE id = ?").param(id).update() == 1;
    }

    private static List<Object> values(Row r) {
        List<Object> values = new ArrayList<>();
        values.add(r.matchUser());
        values.add(r.matchDomain());
        values.add(r.matchPrefix());
        values.add(r.targetUri());
        values.add(r.kind());
        values.add(r.priority());
        values.add(r.weight());
        values.add(r.permanent());
        values.add(r.expiresSeconds());
        values.add(r.enabled());
        values.add(r.intlPrefix());
        values.add(r.nationalPrefix());
        values.add(r.countryCode());
        values.add(r.plusOptional());
        values.add(r.numberFormat());
        values.add(r.transport());
        values.add(r.authUsername());
        values.add(r.authRealm());
        values.add(r.ha1Md5());
        values.add(r.ha1Sha256());
        return values;
    }

    private static RouteView view(ResultSet rs) throws SQLException {
        int expires = rs.getInt("expires_seconds");
        Integer expiresSeconds = rs.wasNull() ? null : expires;
        String username = rs.getString("auth_username");
        return new RouteView(rs.getLong("id"), rs.getString("match_user"), rs.getString("match_domain"),
                rs.getString("match_prefix"), rs.getString("target_uri"), rs.getString("kind"), rs.getFloat("priority"),
                rs.getInt("weight"), rs.getBoolean("permanent"), expiresSeconds, rs.getBoolean("enabled"),
                rs.getString("intl_prefix"), rs.getString("national_prefix"), rs.getString("country_code"),
                rs.getBoolean("plus_optional"), rs.getString("number_format"), rs.getString("transport"),
                username == null ? null : new RouteView.TrunkAccount(username, rs.getString("auth_realm")),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
