package io.engage.common;

import org.springframework.jdbc.core.JdbcTemplate;

/** Retention deletes in bounded statements, for tables that may hold years of rows the first time they run. */
public final class ChunkedDeletes {

    private ChunkedDeletes() {
    }

    /**
     * Deletes the rows of {@code table} matching {@code condition}, at most {@code chunk} per statement, until fewer
     * than that are left; called outside a transaction, each statement commits on its own, so no long transaction or
     * lock is held. {@code key} is the table's primary-key column. Returns how many rows went.
     */
    public static long delete(JdbcTemplate jdbc, String table, String key, String condition, int chunk,
            Object... params) {
        String statement = "DELETE FROM " + table + " WHERE " + key + " IN (SELECT " + key + " FROM " + table
                + " WHERE " + condition + " LIMIT " + chunk + ")";
        long total = 0;
        int deleted;
        do {
            deleted = jdbc.update(statement, params);
            total += deleted;
        } while (deleted == chunk);
        return total;
    }
}
