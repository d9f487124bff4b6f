package io.pinhole.proxy.database;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells a database that is away (no connection, a session cut, a server shutting down: worth
 * retrying the same statement later) from a statement the database refuses (a row the table's
 * constraints reject: retrying it would hold back everything queued behind it forever).
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    public static boolean isOutage(Throwable failure) {
        if (failure instanceof DataIntegrityViolationException) {
            return false;
        }
        if (failure instanceof DataAccessResourceFailureException || failure instanceof TransientDataAccessException
                || failure instanceof RecoverableDataAccessException) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && outageState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes of a server out of reach (08 connection exception), out of resources (53)
     * or shutting down / cutting sessions (57P01–57P03, e.g. {@code pg_terminate_backend}).
     */
    private static boolean outageState(String state) {
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P");
    }
}
