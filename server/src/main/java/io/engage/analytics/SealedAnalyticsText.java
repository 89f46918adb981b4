package io.engage.analytics;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

import io.engage.crypto.ColumnResealer;
import io.engage.crypto.Resealable;
import io.engage.crypto.SecretCipher;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Question text and event free text (feedback comments, links) kept by analytics, for the re-encryption command. Counted questions are keyed by a blind index
 * derived from the master key, so after a rotation their keys change too: a row is moved to its new key, and merged
 * into the row a serving node may already have started there under the new key.
 */
@Component
class SealedAnalyticsText implements Resealable {

    private static final int PAGE = 500;

    private final ColumnResealer resealer;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final EventStore store;
    private final SecretCipher cipher;

    SealedAnalyticsText(ColumnResealer resealer, JdbcTemplate jdbc, TransactionTemplate transactions, EventStore store,
            SecretCipher cipher) {
        this.resealer = resealer;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.store = store;
        this.cipher = cipher;
    }

    private record CountedQuestion(UUID agentId, Instant day, String key, UUID companyId, String question,
            long asked, long answered) {
    }

    @Override
    public Resealed resealAll() {
        Map<String, Long> rewritten = new LinkedHashMap<>();
        rewritten.put("analytics_events.question",
                resealer.reseal("analytics_events", "question", EventStore::eventQuestionContext));
        rewritten.put("analytics_events.event_value",
                resealer.reseal("analytics_events", "event_value", EventStore::eventValueContext));
        rewritten.put("analytics_gaps.question",
                resealer.reseal("analytics_gaps", "question", EventStore::gapQuestionContext));
        rewritten.put("analytics_questions.question", resealCountedQuestions());
        return new Resealed(rewritten);
    }

    private long resealCountedQuestions() {
        String current = cipher.currentPrefix() + "%";
        long moved = 0;
        CountedQuestion after = new CountedQuestion(new UUID(0, 0), Instant.EPOCH, "", null, null, 0, 0);
        while (true) {
            List<CountedQuestion> page = jdbc.query("""
                    SELECT agent_id, day_start, question_key, company_id, question, asked, answered
                    FROM analytics_questions
                    WHERE (agent_id, day_start, question_key) > (?, ?, ?) AND question NOT LIKE ?
                    ORDER BY agent_id, day_start, question_key LIMIT ?""",
                    (rs, n) -> new CountedQuestion(rs.getObject("agent_id", UUID.class), instant(rs, "day_start"),
                            rs.getString("question_key"), rs.getObject("company_id", UUID.class),
                            rs.getString("question"), rs.getLong("asked"), rs.getLong("answered")),
                    after.agentId(), sql(after.day()), after.key(), current, PAGE);
            for (CountedQuestion row : page) {
                moved += Boolean.TRUE.equals(transactions.execute(status -> move(row))) ? 1 : 0;
            }
            if (page.size() < PAGE) {
                return moved;
            }
            after = page.get(page.size() - 1);
        }
    }

    /** Takes the row away (if no one changed it meanwhile) and adds its counts under the current key. */
    private boolean move(CountedQuestion row) {
        String question = cipher.open(row.question(), EventStore.countedQuestionContext(row.key()));
        int taken = jdbc.update("DELETE FROM analytics_questions WHERE agent_id = ? AND day_start = ? AND "
                + "question_key = ? AND question = ?", row.agentId(), sql(row.day()), row.key(), row.question());
        if (taken == 1) {
            store.upsertQuestions(List.of(new EventStore.QuestionDelta(row.day(), row.companyId(), row.agentId(),
                    AnalyticsRecorder.questionKey(question), question, row.asked(), row.answered())));
        }
        return taken == 1;
    }
}
