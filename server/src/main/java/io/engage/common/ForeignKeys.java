package io.engage.common;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Schema changes that must find a constraint by what it does rather than by name: H2 names the constraints of inline
 * {@code REFERENCES} itself (CONSTRAINT_…), PostgreSQL after the table and column, so a migration written in SQL could
 * not drop them on both.
 */
public final class ForeignKeys {

    private ForeignKeys() {
    }

    /**
     * Drops the foreign key of {@code table.column} that references {@code referencedTable}; returns how many were
     * dropped (0 when there was none, so the migration can run on a schema that never had it).
     */
    public static int drop(Connection connection, String table, String column, String referencedTable)
            throws SQLException {
        List<String> names = names(connection, table, column, referencedTable);
        try (Statement statement = connection.createStatement()) {
            for (String name : names) {
                statement.execute("ALTER TABLE " + table + " DROP CONSTRAINT \"" + name.replace("\"", "\"\"") + "\"");
            }
        }
        return names.size();
    }

    /** True when {@code table.column} has a foreign key to {@code referencedTable}. */
    public static boolean exists(Connection connection, String table, String column, String referencedTable)
            throws SQLException {
        return !names(connection, table, column, referencedTable).isEmpty();
    }

    private static List<String> names(Connection connection, String table, String column, String referencedTable)
            throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet keys = connection.getMetaData().getImportedKeys(connection.getCatalog(), connection.getSchema(),
                table)) {
            while (keys.next()) {
                if (keys.getString("PKTABLE_NAME").equalsIgnoreCase(referencedTable)
                        && keys.getString("FKCOLUMN_NAME").equalsIgnoreCase(column)) {
                    names.add(keys.getString("FK_NAME"));
                }
            }
        }
        return names;
    }
}
