package io.engage.analytics;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

import io.engage.common.ApiProblem;
import io.engage.common.Times;
import io.engage.common.WriteBarrier;
import io.engage.crypto.SecretCipher;
import io.engage.knowledge.Embedder;
import io.engage.knowledge.KnowledgeService;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.lucene.util.VectorUtil;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Knowledge gaps: the questions an agent could not ground, grouped by meaning. Identical questions (same
 * {@link AnalyticsRecorder#questionKey}) form one group; groups are then clustered greedily, most asked first, each
 * joining the first cluster whose leading question is at least {@code gapSimilarity} cosine-similar. A gap's id is
 * its leading question's id, so it stays stable while new questions arrive. Answering a gap adds an FAQ entry and
 * closes every open question of the agent that similar to the gap.
 */
@Service
class KnowledgeGaps {

    /** Most recent open questions considered per request; clustering is quadratic in the worst case. */
    static final int MAX_QUESTIONS = 2000;
    private static final int EXAMPLES = 5;

    record Gap(UUID id, String question, long count, List<String> examples, Instant firstAskedAt,
            Instant lastAskedAt) {
    }

    record Answered(UUID sourceId, String status, int resolvedQuestions) {
    }

    private record Asked(UUID id, String question, float[] embedding, Instant at) {
    }

    private static final class Cluster {
        final UUID id;
        final String question;
        final float[] leader;
        long count;
        final Set<String> examples = new LinkedHashSet<>();
        Instant first;
        Instant last;

        Cluster(UUID id, String question, float[] leader) {
            this.id = id;
            this.question = question;
            this.leader = leader;
        }
    }

    private final JdbcTemplate jdbc;
    private final KnowledgeService knowledge;
    private final AnalyticsProperties properties;
    private final List<WriteBarrier> pendingWrites;
    private final SecretCipher cipher;

    KnowledgeGaps(JdbcTemplate jdbc, KnowledgeService knowledge, AnalyticsProperties properties,
            List<WriteBarrier> pendingWrites, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.knowledge = knowledge;
        this.properties = properties;
        this.pendingWrites = pendingWrites;
        this.cipher = cipher;
    }

    @Transactional(readOnly = true)
    List<Gap> list(UUID companyId, UUID agentId, AnalyticsRange range, int limit) {
        pendingWrites.forEach(WriteBarrier::awaitWritten);
        List<Asked> asked = jdbc.query("""
                SELECT id, question, embedding, asked_at FROM analytics_gaps
                WHERE company_id = ? AND agent_id = ? AND resolved_at IS NULL AND asked_at >= ? AND asked_at < ?
                ORDER BY asked_at DESC, id DESC LIMIT ?""",
                this::asked,
                companyId, agentId, sql(range.from()), sql(range.to()), MAX_QUESTIONS);
        // identical questions first: the earliest asking leads its group
        Map<String, List<Asked>> groups = new LinkedHashMap<>();
        for (int i = asked.size() - 1; i >= 0; i--) {
            Asked a = asked.get(i);
            groups.computeIfAbsent(AnalyticsRecorder.questionKey(a.question()), k -> new ArrayList<>()).add(a);
        }
        List<List<Asked>> ordered = new ArrayList<>(groups.values());
        ordered.sort(Comparator.comparingInt((List<Asked> g) -> -g.size()).thenComparing(g -> g.get(0).at()));
        List<Cluster> clusters = new ArrayList<>();
        for (List<Asked> group : ordered) {
            Asked lead = group.get(0);
            Cluster cluster = clusters.stream()
                    .filter(c -> dot(c.leader, lead.embedding()) >= properties.gapSimilarity()).findFirst()
                    .orElseGet(() -> {
                        Cluster created = new Cluster(lead.id(), lead.question(), lead.embedding());
                        clusters.add(created);
                        return created;
                    });
            cluster.count += group.size();
            if (cluster.examples.size() < EXAMPLES) {
                cluster.examples.add(lead.question());
            }
            for (Asked a : group) {
                cluster.first = cluster.first == null || a.at().isBefore(cluster.first) ? a.at() : cluster.first;
                cluster.last = cluster.last == null || a.at().isAfter(cluster.last) ? a.at() : cluster.last;
            }
        }
        return clusters.stream()
                .sorted(Comparator.comparingLong((Cluster c) -> -c.count).thenComparing(c -> c.last,
                        Comparator.reverseOrder()))
                .limit(limit)
                .map(c -> new Gap(c.id, c.question, c.count, List.copyOf(c.examples), c.first, c.last)).toList();
    }

    /** Adds the answer as an FAQ entry of the agent and closes the gap's questions. */
    @Transactional
    Answered answer(UUID companyId, UUID agentId, UUID gapId, String question, String answer) {
        Asked gap = requireOpen(companyId, agentId, gapId);
        String faqQuestion = question == null || question.isBlank() ? gap.question().strip() : question.strip();
        if (faqQuestion.length() > 2000) {
            throw ApiProblem.unprocessable("question", "must have at most 2000 characters");
        }
        if (answer == null || answer.isBlank()) {
            throw ApiProblem.unprocessable("answer", "must not be blank");
        }
        if (answer.length() > 20000) {
            throw ApiProblem.unprocessable("answer", "must have at most 20000 characters");
        }
        UUID sourceId = knowledge.addFaq(companyId, agentId, faqQuestion, answer.strip());
        int resolved = close(companyId, agentId, gap, sourceId);
        return new Answered(sourceId, "queued", resolved);
    }

    /** Closes the gap's questions without adding knowledge (off-topic, spam). */
    @Transactional
    int dismiss(UUID companyId, UUID agentId, UUID gapId) {
        return close(companyId, agentId, requireOpen(companyId, agentId, gapId), null);
    }

    private Asked requireOpen(UUID companyId, UUID agentId, UUID gapId) {
        pendingWrites.forEach(WriteBarrier::awaitWritten);
        return jdbc.query("""
                SELECT id, question, embedding, asked_at FROM analytics_gaps
                WHERE company_id = ? AND agent_id = ? AND id = ? AND resolved_at IS NULL""",
                this::asked,
                companyId, agentId, gapId).stream().findFirst()
                .orElseThrow(() -> ApiProblem.notFound("Open knowledge gap", gapId));
    }

    private int close(UUID companyId, UUID agentId, Asked gap, UUID sourceId) {
        String key = AnalyticsRecorder.questionKey(gap.question());
        List<UUID> similar = new ArrayList<>();
        jdbc.query("SELECT id, question, embedding FROM analytics_gaps WHERE company_id = ? AND agent_id = ? "
                + "AND resolved_at IS NULL", rs -> {
                    float[] embedding = Embedder.toFloats(rs.getBytes("embedding"));
                    UUID id = rs.getObject("id", UUID.class);
                    String question = cipher.open(rs.getString("question"), EventStore.gapQuestionContext(id));
                    if (key.equals(AnalyticsRecorder.questionKey(question))
                            || dot(gap.embedding(), embedding) >= properties.gapSimilarity()) {
                        similar.add(id);
                    }
                }, companyId, agentId);
        Instant now = Times.now();
        jdbc.batchUpdate("UPDATE analytics_gaps SET resolved_at = ?, knowledge_source_id = ? WHERE company_id = ? "
                + "AND id = ?", similar.stream().map(id -> new Object[] {sql(now), sourceId, companyId, id}).toList());
        return similar.size();
    }

    private Asked asked(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        return new Asked(id, cipher.open(rs.getString("question"), EventStore.gapQuestionContext(id)),
                Embedder.toFloats(rs.getBytes("embedding")), instant(rs, "asked_at"));
    }

    /** Embeddings are unit length: the dot product is the cosine similarity (Lucene's, as retrieval uses). */
    private static double dot(float[] a, float[] b) {
        return VectorUtil.dotProduct(a, b);
    }
}
