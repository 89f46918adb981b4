package io.engage.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

/** PostgreSQL connections rewrite batched inserts unless the operator said otherwise; other databases are untouched. */
class PostgresDriverDefaultsTest {

    private static HikariDataSource dataSource(String url) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        return dataSource;
    }

    @Test
    void postgresRewritesBatchedInserts() {
        HikariDataSource dataSource = dataSource("jdbc:postgresql://db:5432/engage");
        new PostgresDriverDefaults().postProcessBeforeInitialization(dataSource, "dataSource");
        assertThat(dataSource.getDataSourceProperties()).containsEntry("reWriteBatchedInserts", "true");
    }

    @Test
    void theOperatorsChoiceIsKept() {
        HikariDataSource inUrl = dataSource("jdbc:postgresql://db:5432/engage?reWriteBatchedInserts=false");
        PostgresDriverDefaults.apply(inUrl);
        assertThat(inUrl.getDataSourceProperties()).doesNotContainKey("reWriteBatchedInserts");

        HikariDataSource inProperties = dataSource("jdbc:postgresql://db:5432/engage");
        inProperties.addDataSourceProperty("reWriteBatchedInserts", "false");
        PostgresDriverDefaults.apply(inProperties);
        assertThat(inProperties.getDataSourceProperties()).containsEntry("reWriteBatchedInserts", "false");
    }

    @Test
    void otherDatabasesAreLeftAlone() {
        HikariDataSource h2 = dataSource("jdbc:h2:file:./data/engage;MODE=PostgreSQL");
        PostgresDriverDefaults.apply(h2);
        assertThat(h2.getDataSourceProperties()).isEmpty();
    }
}
