package io.pinhole.proxy.support;

import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Takes a proxy's database away as an outage does — new connections refused, the open ones cut
 * mid-session — and gives it back on {@link #restore()} or {@link #close()}. The test cluster
 * itself stays up (other tests' databases in it are untouched).
 */
public final class DatabaseCut implements AutoCloseable {

    private final Connection admin;
    private final String database;
    private boolean cut;

    private DatabaseCut(Connection admin, String database) {
        this.admin = admin;
        this.database = database;
    }

    /** Cuts {@code proxy}'s database now. */
    public static DatabaseCut of(ProxyInstance proxy) throws SQLException {
        String url = ((HikariDataSource) proxy.bean(DataSource.class)).getJdbcUrl();
        String database = url.substring(url.lastIndexOf('/') + 1);
        DatabaseCut outage = new DatabaseCut(
                DriverManager.getConnection(url.replace("/" + database, "/postgres"), "postgres", ""), database);
        outage.set(true);
        return outage;
    }

    public void restore() throws SQLException {
        if (cut) {
            set(false);
        }
    }

    private void set(boolean refuse) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS " + !refuse);
            if (refuse) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            }
        }
        cut = refuse;
    }

    @Override
    public void close() throws SQLException {
        try {
            restore();
        } finally {
            admin.close();
        }
    }
}
