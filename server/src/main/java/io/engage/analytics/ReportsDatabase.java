package io.engage.analytics;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where analytics reports read: the read replica when {@code engage.analytics.replica.url} names one, else the
 * primary. A report on the replica runs in one read-only REPEATABLE READ transaction, so its several queries see
 * one snapshot; it shows what the replica has replayed (normally well under a second behind the primary). The
 * replica's pool is private to reports and not a bean: the primary's data source, JdbcTemplate and transaction
 * manager stay the ones Spring Boot configures for everything else.
 */
@Component
class ReportsDatabase implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReportsDatabase.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate reads;
    private final HikariDataSource replica;

    ReportsDatabase(JdbcTemplate primary, PlatformTransactionManager primaryTransactions,
            AnalyticsReplicaProperties properties) {
        if (!properties.configured()) {
            this.replica = null;
            this.jdbc = primary;
            this.reads = new TransactionTemplate(primaryTransactions);
            reads.setReadOnly(true);
            return;
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("analytics-replica");
        config.setJdbcUrl(properties.url().trim());
        config.setUsername(properties.username());
        config.setPassword(properties.password());
        config.setReadOnly(true);
        config.setMaximumPoolSize(properties.maxConnections());
        config.setMinimumIdle(0);
        // a replica that is down must not stop the node from starting: reports fail (503, after 5 s rather than
        // Hikari's 30) until it is back
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(5_000);
        this.replica = new HikariDataSource(config);
        this.jdbc = new JdbcTemplate(replica);
        this.reads = new TransactionTemplate(new JdbcTransactionManager(replica));
        reads.setReadOnly(true);
        reads.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        log.info("Analytics reports read from the replica at {}", properties.url().replaceAll("\\?.*", ""));
    }

    /** The reports' queries (inside {@link #read}). */
    JdbcTemplate jdbc() {
        return jdbc;
    }

    /** Runs a report in one read-only transaction on the reports' database. */
    <T> T read(Supplier<T> report) {
        return reads.execute(status -> report.get());
    }

    @Override
    public void destroy() {
        if (replica != null) {
            replica.close();
        }
    }
}
