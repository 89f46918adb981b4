package io.engage.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class DatabaseOutagesTest {

    @Test
    void anUnreachableDatabaseIsAnOutage() {
        // the pool's timeout while PostgreSQL is down
        assertThat(DatabaseOutages.isOutage(new CannotGetJdbcConnectionException("no connection",
                new SQLTransientConnectionException("request timed out", "08001")))).isTrue();
        assertThat(DatabaseOutages.isOutage(new CannotCreateTransactionException("begin failed"))).isTrue();
        // PostgreSQL's driver: a connection cut by a fast shutdown, or refused while the server starts up
        assertThat(DatabaseOutages.isOutage(new UncategorizedSQLException("query", "SELECT 1",
                new SQLException("An I/O error occurred while sending to the backend", "08006")))).isTrue();
        assertThat(DatabaseOutages.isOutage(new IllegalStateException("wrapped",
                new SQLException("the database system is starting up", "57P03")))).isTrue();
        // a transaction whose connection was cut, and whose rollback failed too: why it rolled back counts
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("internal error", "XX000"));
        rollbackFailed.initApplicationException(new DataAccessResourceFailureException(
                "terminating connection due to administrator command", new SQLException("FATAL", "57P01")));
        assertThat(DatabaseOutages.isOutage(rollbackFailed)).isTrue();
        // a commit on a connection the pool closed after it failed (HikariCP's closed stand-in has no SQL state)
        assertThat(DatabaseOutages.isOutage(new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void aRefusedStatementIsNot() {
        assertThat(DatabaseOutages.isOutage(new DataIntegrityViolationException("foreign key"))).isFalse();
        assertThat(DatabaseOutages.isOutage(new DuplicateKeyException("duplicate"))).isFalse();
        assertThat(DatabaseOutages.isOutage(new PessimisticLockingFailureException("deadlock"))).isFalse();
        assertThat(DatabaseOutages.isOutage(new UncategorizedSQLException("query", "SELECT x",
                new SQLException("syntax error", "42601")))).isFalse();
        assertThat(DatabaseOutages.isOutage(new IllegalStateException("no cause"))).isFalse();
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("internal error", "XX000"));
        rollbackFailed.initApplicationException(new DataIntegrityViolationException("foreign key"));
        assertThat(DatabaseOutages.isOutage(rollbackFailed)).isFalse();
    }
}
