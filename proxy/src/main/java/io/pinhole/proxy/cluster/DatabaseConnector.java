package io.pinhole.proxy.cluster;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens the listener's own connection, outside the pool: it stays open to LISTEN. */
@FunctionalInterface
public interface DatabaseConnector {
    Connection open() throws SQLException;
}
