package io.pinhole.redirect.routing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the enabled routes. A row the server cannot use (a target URI it cannot parse, say) is
 * skipped with one warning naming its id, so one bad row does not take every route down.
 */
public final class RouteRepository {

    private static final Logger LOG = LoggerFactory.getLogger(RouteRepository.class);

    private static final String SELECT = """
            SELECT id, match_user, match_domain, match_prefix, target_uri, kind, priority, weight,
                   permanent, expires_seconds, intl_prefix, national_prefix, country_code,
                   plus_optional, number_format, transport
              FROM routes
             WHERE enabled""";

    public List<Route> loadEnabled(Connection connection) throws SQLException {
        List<Route> routes = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(SELECT)) {
            while (rs.next()) {
                long id = rs.getLong("id");
                try {
                    routes.add(toRoute(id, rs));
                } catch (IllegalArgumentException e) {
                    LOG.warn("route {} skipped: {}", id, e.getMessage());
                }
            }
        }
        return routes;
    }

    private static Route toRoute(long id, ResultSet rs) throws SQLException {
        String targetText = rs.getString("target_uri");
        TargetUri target = TargetUri.parse(targetText)
                .orElseThrow(() -> new IllegalArgumentException("target_uri is not a SIP URI: " + targetText))
                .withTransport(rs.getString("transport"));
        int expires = rs.getInt("expires_seconds");
        Integer expiresSeconds = rs.wasNull() ? null : expires;
        NumberPlan plan = new NumberPlan(rs.getString("intl_prefix"), rs.getString("national_prefix"),
                rs.getString("country_code"), rs.getBoolean("plus_optional"));
        return new Route(id,
                rs.getString("match_user"),
                rs.getString("match_domain"),
                rs.getString("match_prefix"),
                target,
                RouteKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                rs.getFloat("priority"),
                rs.getInt("weight"),
                rs.getBoolean("permanent"),
                expiresSeconds,
                plan,
                NumberFormat.fromColumn(rs.getString("number_format")));
    }
}
