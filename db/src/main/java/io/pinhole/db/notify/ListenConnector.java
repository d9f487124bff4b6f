package io.pinhole.db.notify;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens a listener's own connection, outside any pool: it stays checked out to LISTEN, and a
 * pool's max-lifetime would otherwise retire it under the listener's feet.
 */
@FunctionalInterface
public interface ListenConnector {

    Connection open() throws SQLException;

    /**
     * A connector to {@code url} whose connections are named {@code applicationName} in
     * {@code pg_stat_activity} (so an operator, or a test, can find them), and whose statements
     * fail within 10 s on a server that vanished without a reset (so the listener's heartbeat
     * cannot hang there). The password is held only by the returned connector.
     */
    static ListenConnector to(String url, String user, String password, String applicationName) {
        Properties info = new Properties();
        info.setProperty("user", user);
        if (password != null) {
            info.setProperty("password", password);
        }
        info.setProperty("socketTimeout", "10");
        info.setProperty("tcpKeepAlive", "true");
        info.setProperty("ApplicationName", applicationName);
        return () -> DriverManager.getConnection(url, info);
    }
}
