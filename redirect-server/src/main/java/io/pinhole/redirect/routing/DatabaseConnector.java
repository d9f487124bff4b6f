package io.pinhole.redirect.routing;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens the reloader's own connection, outside the pool: it stays open to LISTEN. */
@FunctionalInterface
public interface DatabaseConnector {
    Connection open() throws SQLException;
}
