package io.engage.analytics;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

import io.engage.common.ChunkedDeletes;
import io.engage.common.DaemonThreads;
import io.engage.common.Times;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps analytics bounded and consistent: deletes raw events and gap questions past the retention period, trims
 * past days' question counts to their most asked ones, and rebuilds the rollups from the raw events when
 * {@code analytics_state.rebuild_requested} is set (after the V7 backfill, or by an operator). Every task is safe to
 * run on several nodes at once.
 */
@Component
class AnalyticsMaintenance {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsMaintenance.class);
    private static final int DELETE_CHUNK = 10_000;
    private static final int REBUILD_BATCH = 10_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final EventStore store;
    private final AnalyticsRecorder recorder;
    private final AnalyticsProperties properties;

    AnalyticsMaintenance(JdbcTemplate jdbc, TransactionTemplate transactions, EventStore store,
            AnalyticsRecorder recorder, AnalyticsProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.store = store;
        this.recorder = recorder;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void rebuildIfRequested() {
        DaemonThreads.named("engage-analytics-rebuild-").newThread(this::rebuild).start();
    }

    /** Rebuilds every rollup from the raw log in one transaction; returns the number of events replayed. */
    long rebuild() {
        long started = System.nanoTime();
        AtomicLong replayed = new AtomicLong(-1);
        try {
            transactions.executeWithoutResult(status -> {
                // only the node that flips the flag rebuilds; the flag comes back if the rebuild fails
                if (jdbc.update("UPDATE analytics_state SET rebuild_requested = FALSE WHERE id = 1 "
                        + "AND rebuild_requested = TRUE") == 0) {
                    return;
                }
                log.info("Rebuilding analytics rollups from the raw events");
                store.clearDerived();
                jdbc.update("UPDATE analytics_state SET questions_pruned_until = NULL WHERE id = 1");
                List<EventStore.Recorded> batch = new ArrayList<>(REBUILD_BATCH);
                AtomicLong count = new AtomicLong();
                store.forEachEvent(event -> {
                    batch.add(event);
                    if (batch.size() == REBUILD_BATCH) {
                        recorder.apply(batch);
                        count.addAndGet(batch.size());
                        batch.clear();
                    }
                });
                recorder.apply(batch);
                replayed.set(count.get() + batch.size());
                // the replay counted every question of every past day: trim them before anyone reads them
                pruneQuestions(Times.now().truncatedTo(ChronoUnit.DAYS));
                store.analyzeDerived();
            });
        } catch (RuntimeException e) {
            log.error("Rebuilding the analytics rollups failed; it is retried at the next start", e);
            return -1;
        }
        if (replayed.get() >= 0) {
            log.info("Analytics rollups rebuilt from {} events in {} s", replayed.get(),
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
        }
        return replayed.get();
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    void hourly() {
        try {
            deleteExpired(Times.now().minus(properties.rawRetention()));
            pruneQuestions(Times.now().truncatedTo(ChronoUnit.DAYS));
        } catch (RuntimeException e) {
            log.warn("Analytics maintenance failed; retried in an hour ({})", e.toString());
        }
    }

    /**
     * Raw events, gap questions and conversation states older than the cutoff, in bounded transactions; events and
     * gaps company by company, along their (company_id, time) indexes.
     */
    void deleteExpired(Instant cutoff) {
        long events = 0;
        long gaps = 0;
        List<UUID> companies = jdbc.queryForList("SELECT DISTINCT company_id FROM analytics_rollups WHERE grain = 'd'",
                UUID.class);
        for (UUID companyId : companies) {
            events += deleteInChunks("analytics_events", "id", "company_id = ? AND occurred_at < ?", companyId,
                    sql(cutoff));
            gaps += deleteInChunks("analytics_gaps", "id", "company_id = ? AND asked_at < ?", companyId, sql(cutoff));
        }
        long conversations = deleteInChunks("analytics_conversations", "conversation_id", "started_at < ?",
                sql(cutoff));
        if (events + gaps + conversations > 0) {
            log.info("Analytics retention: deleted {} raw events, {} gap questions, {} conversation states older "
                    + "than {}", events, gaps, conversations, cutoff);
        }
    }

    private long deleteInChunks(String table, String key, String condition, Object... params) {
        return ChunkedDeletes.delete(jdbc, table, key, condition, DELETE_CHUNK, params);
    }

    /** Past days keep their {@code topQuestionsPerDay} most asked questions per agent; the long tail goes. */
    void pruneQuestions(Instant today) {
        List<Instant> marker = jdbc.query("SELECT questions_pruned_until FROM analytics_state WHERE id = 1",
                (rs, n) -> instant(rs, "questions_pruned_until"));
        Instant from = marker.isEmpty() ? null : marker.get(0);
        if (from == null) {
            from = jdbc.query("SELECT MIN(day_start) AS first_day FROM analytics_questions",
                    (rs, n) -> instant(rs, "first_day"))
                    .stream().filter(Objects::nonNull).findFirst().orElse(today);
        }
        for (Instant day = from; day.isBefore(today); day = day.plus(1, ChronoUnit.DAYS)) {
            Instant pruned = day;
            transactions.executeWithoutResult(status -> {
                jdbc.update("""
                        DELETE FROM analytics_questions WHERE day_start = ? AND (agent_id, question_key) IN (
                          SELECT agent_id, question_key FROM (
                            SELECT agent_id, question_key, ROW_NUMBER() OVER (
                              PARTITION BY agent_id ORDER BY asked DESC, question_key) AS position
                            FROM analytics_questions WHERE day_start = ?) ranked
                          WHERE position > ?)""", sql(pruned), sql(pruned), properties.topQuestionsPerDay());
                jdbc.update("UPDATE analytics_state SET questions_pruned_until = ? WHERE id = 1",
                        sql(pruned.plus(1, ChronoUnit.DAYS)));
            });
        }
    }
}
