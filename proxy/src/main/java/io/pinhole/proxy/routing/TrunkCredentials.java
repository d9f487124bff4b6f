package io.pinhole.proxy.routing;

import io.pinhole.proxy.database.DatabaseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Outbound credentials of the trunk routes, by the trunk's host and port as its {@code target_uri}
 * writes them (an address, or a name the proxy resolves by DNS), held in memory (a challenge from
 * a carrier is answered without touching the database).
 */
public final class TrunkCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(TrunkCredentials.class);
    private static final Pattern HOST_PORT = Pattern.compile("^sips?:(?:[^@;]*@)?(\\[[^]]+]|[^:;>]+)(?::(\\d+))?");

    private final JdbcClient jdbc;
    private final DatabaseStatus database;
    private volatile Map<String, TrunkCredential> byHostPort = Map.of();

    public TrunkCredentials(JdbcClient jdbc, DatabaseStatus database) {
        this.jdbc = jdbc;
        this.database = database;
        reload();
    }

    public Optional<TrunkCredential> forTarget(String host, int port) {
        return Optional.ofNullable(byHostPort.get(host + ":" + port));
    }

    @Scheduled(fixedDelayString = "${pinhole.routing.trunk-reload-interval:10s}")
    public void reload() {
        try {
            List<TrunkCredential> rows = jdbc.sql("""
                            SELECT target_uri, auth_username, auth_realm, auth_ha1_md5 FROM routes
                            WHERE kind = 'trunk' AND enabled AND auth_username IS NOT NULL AND auth_ha1_md5 IS NOT NULL""")
                    .query((rs, i) -> credential(rs.getString("target_uri"), rs.getString("auth_username"),
                            rs.getString("auth_realm"), rs.getString("auth_ha1_md5")))
                    .list()
                    .stream().filter(c -> c != null).toList();
            byHostPort = rows.stream().collect(Collectors.toUnmodifiableMap(c -> c.host() + ":" + c.port(), c -> c,
                    (a, b) -> a));
            database.reachable();
        } catch (RuntimeException e) {
            if (database.unreachable("reading trunk credentials", e)) {
                return; // logged once per outage; the previous credentials stay
            }
            LOG.warn("reading trunk credentials failed, keeping the previous ones: {}", e.toString());
        }
    }

    static TrunkCredential credential(String targetUri, String username, String realm, String ha1) {
        Matcher m = HOST_PORT.matcher(targetUri);
        if (!m.find()) {
            return null;
        }
        String host = (m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1))
                .toLowerCase(Locale.ROOT);
        int port = m.group(2) == null ? (targetUri.startsWith("sips:") ? 5061 : 5060) : Integer.parseInt(m.group(2));
        return new TrunkCredential(host, port, username, realm, ha1);
    }
}
