package io.engage.audit;

import static io.engage.common.Times.sql;

import io.engage.common.ChunkedDeletes;
import io.engage.common.Times;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes audit entries older than {@code engage.audit.retention} (a year by default), hourly, in chunks that each
 * commit on their own, so that a first run over years of entries holds no long transaction.
 */
@Component
class AuditRetention {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);
    private static final int DELETE_CHUNK = 5_000;

    private final JdbcTemplate jdbc;
    private final AuditProperties properties;

    AuditRetention(JdbcTemplate jdbc, AuditProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT13M")
    void hourly() {
        if (properties.retention().isZero()) {
            return;
        }
        try {
            deleteOlderThan(Times.now().minus(properties.retention()));
        } catch (RuntimeException e) {
            log.warn("Audit retention failed; retried in an hour ({})", e.toString());
        }
    }

    /** Entries that occurred before the cutoff; returns how many went. */
    long deleteOlderThan(Instant cutoff) {
        long total = ChunkedDeletes.delete(jdbc, "audit_log", "id", "occurred_at < ?", DELETE_CHUNK, sql(cutoff));
        if (total > 0) {
            log.info("Audit retention: deleted {} entries older than {}", total, cutoff);
        }
        return total;
    }
}
