package io.engage.analytics;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/** Which database the analytics SQL runs on, for the few statements that differ (upserts, planner settings). */
@Component
class SqlDialect {

    private final boolean postgres;

    SqlDialect(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            this.postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT)
                    .contains("postgres");
        }
    }

    boolean postgres() {
        return postgres;
    }
}
