package io.engage.common;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells "the database cannot be reached right now" (stopped, restarting, connections cut, no connection within the
 * pool's timeout) from "the database refuses this statement". The first passes: background writers keep their work
 * and retry, requests get 503 with a hint to try again. The second is a conflict or a bug.
 */
public final class DatabaseOutages {

    private DatabaseOutages() {
    }

    /** True when {@code failure} or one of its causes says the database is unreachable. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException // includes CannotGetJdbcConnectionException
                    || t instanceof TransientDataAccessResourceException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLException sql && (unreachableState(sql.getSQLState()) || closedByPool(sql))) {
                return true;
            }
            // a rollback after a lost connection fails too: what counts is why it ran
            if (t instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
                    && isOutage(rollback.getApplicationException())) {
                return true;
            }
        }
        return false;
    }

    /**
     * HikariCP's stand-in for a connection it closed after that connection failed (it has no SQL state): a commit or
     * rollback still running on it fails with this.
     */
    private static boolean closedByPool(SQLException e) {
        return e.getSQLState() == null && "Connection is closed".equals(e.getMessage());
    }

    /** Class 08: connection exception; 57P01-57P03: PostgreSQL shutting down, crashed, or still starting. */
    private static boolean unreachableState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }
}
