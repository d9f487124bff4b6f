package io.pinhole.proxy.database;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseFailuresTest {

    @Test
    void tellsAnOutageFromARefusedStatement() {
        Map<RuntimeException, Boolean> table = Map.of(
                new CannotGetJdbcConnectionException("no connection",
                        new SQLTransientConnectionException("HikariPool-1 - Connection is not available")), true,
                new DataAccessResourceFailureException("I/O error"), true,
                new QueryTimeoutException("statement timeout"), true,
                new UncategorizedSQLException("insert", "INSERT", new SQLException("terminating connection due to "
                        + "administrator command", "57P01")), true,
                new UncategorizedSQLException("insert", "INSERT", new SQLException("connection refused", "08001")), true,
                new UncategorizedSQLException("insert", "INSERT", new SQLException("too many connections", "53300")), true,
                new DataIntegrityViolationException("check constraint", new SQLException("x", "08006")), false,
                new DuplicateKeyException("duplicate key"), false,
                new BadSqlGrammarException("insert", "INSERT", new SQLException("no such column", "42703")), false,
                new UncategorizedSQLException("insert", "INSERT", new SQLException("numeric overflow", "22003")), false);

        table.forEach((failure, outage) -> assertThat(DatabaseFailures.isOutage(failure))
                .as(failure.getClass().getSimpleName() + ": " + failure.getMessage()).isEqualTo(outage));
    }
}
