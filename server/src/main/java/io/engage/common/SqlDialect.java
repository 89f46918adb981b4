package io.engage.common;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Which database the SQL runs on (the embedded H2 or PostgreSQL), for the few statements that differ: upserts, bulk
 * updates from arrays, planner settings.
 */
@Component
public class SqlDialect {

    private final boolean postgres;

    SqlDialect(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            this.postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT)
                    .contains("postgres");
        }
    }

    public boolean postgres() {
        return postgres;
    }
}
