package io.engage.conversation;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.common.PageQuery;
import io.engage.common.SqlDialect;
import io.engage.crypto.SecretCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Conversations, messages and widget events. Every statement is filtered by company. What visitors and the model
 * wrote (message content, the retrieval query, feedback comments) is stored sealed with AES-256-GCM, bound to the
 * message id; rows from before encryption at rest still read as plain text until {@code reencrypt} seals them.
 */
@Repository
class ConversationRepository {

    private static final TypeReference<List<Citation>> CITATIONS = new TypeReference<>() {
    };

    /** An answered turn to store: the user's message and the assistant's answer with how it was made. */
    record Turn(UUID conversationId, UUID agentId, UUID companyId, UUID userMessageId, String userText,
            Instant askedAt, UUID answerId, String answerText, String retrievalQuery, List<Citation> citations,
            boolean grounded, boolean handoff, boolean fallback, String fallbackReason, String provider,
            String model, int tokensIn, int tokensOut, int latencyMs, boolean cancelled, Instant answeredAt) {
    }

    /** A conversation to create. */
    record NewConversation(UUID id, UUID companyId, UUID agentId, UUID endUserId, Instant at) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final ObjectMapper json;
    private final SecretCipher cipher;
    private final SqlDialect dialect;

    ConversationRepository(JdbcClient jdbc, JdbcTemplate batch, ObjectMapper json, SecretCipher cipher,
            SqlDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.batch = batch;
        this.json = json;
        this.cipher = cipher;
    }

    /** Encryption contexts of the sealed message columns: a value only opens in its own row and column. */
    static String contentContext(UUID messageId) {
        return "message:" + messageId + ":content";
    }

    static String retrievalQueryContext(UUID messageId) {
        return "message:" + messageId + ":retrieval-query";
    }

    static String feedbackCommentContext(UUID messageId) {
        return "message:" + messageId + ":feedback-comment";
    }

    /** Creates conversations, one JDBC batch. */
    void insertConversations(List<NewConversation> created) {
        if (created.isEmpty()) {
            return;
        }
        batch.batchUpdate("""
                INSERT INTO conversations (id, agent_id, company_id, end_user_id, started_at, last_message_at,
                  message_count, handoff)
                VALUES (?, ?, ?, ?, ?, ?, 0, FALSE)""",
                created.stream().map(c -> new Object[] {c.id(), c.agentId(), c.companyId(), c.endUserId(),
                        sql(c.at()), sql(c.at())}).toList());
    }

    /** Stores turns in order: both messages of each, then each conversation's counters; three JDBC batches. */
    void saveTurns(List<Turn> turns) {
        if (turns.isEmpty()) {
            return;
        }
        batch.batchUpdate("""
                INSERT INTO messages (id, conversation_id, agent_id, company_id, role, content, created_at)
                VALUES (?, ?, ?, ?, 'user', ?, ?)""",
                turns.stream().map(t -> new Object[] {t.userMessageId(), t.conversationId(), t.agentId(),
                        t.companyId(), cipher.encrypt(t.userText(), contentContext(t.userMessageId())),
                        sql(t.askedAt())}).toList());
        batch.batchUpdate("""
                INSERT INTO messages (id, conversation_id, agent_id, company_id, role, content, retrieval_query,
                  citations, grounded, handoff, fallback, fallback_reason, provider, model, tokens_in, tokens_out,
                  latency_ms, cancelled, created_at)
                VALUES (?, ?, ?, ?, 'assistant', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                turns.stream().map(t -> new Object[] {t.answerId(), t.conversationId(), t.agentId(), t.companyId(),
                        cipher.encrypt(t.answerText(), contentContext(t.answerId())),
                        cipher.seal(t.retrievalQuery(), retrievalQueryContext(t.answerId())), toJson(t.citations()),
                        t.grounded(), t.handoff(),
                        t.fallback(), t.fallbackReason(), t.provider(), t.model(), t.tokensIn(), t.tokensOut(),
                        t.latencyMs(), t.cancelled(), sql(t.answeredAt())}).toList());
        updateConversations(turns);
    }

    /** Per conversation of the turns: its latest answer time, two messages per turn, and whether one handed off. */
    private record ConversationDelta(UUID id, UUID companyId, Instant lastMessageAt, int messages, boolean handoff) {

        static ConversationDelta of(Turn t) {
            return new ConversationDelta(t.conversationId(), t.companyId(), t.answeredAt(), 2, t.handoff());
        }

        ConversationDelta plus(ConversationDelta other) {
            return new ConversationDelta(id, companyId, other.lastMessageAt.isAfter(lastMessageAt)
                    ? other.lastMessageAt : lastMessageAt, messages + other.messages, handoff || other.handoff);
        }
    }

    /**
     * On PostgreSQL one statement updates every conversation of the batch from arrays (one execution instead of one
     * per turn: half the database's CPU of this step); H2 gets a JDBC batch. Each conversation once, in id order on
     * every node.
     */
    private void updateConversations(List<Turn> turns) {
        Map<UUID, ConversationDelta> deltas = new TreeMap<>();
        for (Turn t : turns) {
            deltas.merge(t.conversationId(), ConversationDelta.of(t), ConversationDelta::plus);
        }
        if (dialect.postgres()) {
            batch.execute((Connection connection) -> {
                try (PreparedStatement update = connection.prepareStatement("""
                        UPDATE conversations c SET last_message_at = GREATEST(c.last_message_at, d.at),
                          message_count = c.message_count + d.added, handoff = (c.handoff OR d.handoff)
                        FROM unnest(?::uuid[], ?::uuid[], ?::timestamptz[], ?::int[], ?::boolean[])
                          AS d(id, company_id, at, added, handoff)
                        WHERE c.id = d.id AND c.company_id = d.company_id""")) {
                    update.setArray(1, connection.createArrayOf("uuid", column(deltas, ConversationDelta::id)));
                    update.setArray(2, connection.createArrayOf("uuid", column(deltas, ConversationDelta::companyId)));
                    update.setArray(3, connection.createArrayOf("timestamptz",
                            column(deltas, d -> OffsetDateTime.ofInstant(d.lastMessageAt(), ZoneOffset.UTC))));
                    update.setArray(4, connection.createArrayOf("int4", column(deltas, ConversationDelta::messages)));
                    update.setArray(5, connection.createArrayOf("bool", column(deltas, ConversationDelta::handoff)));
                    return update.executeUpdate();
                }
            });
            return;
        }
        batch.batchUpdate("""
                UPDATE conversations SET last_message_at = GREATEST(last_message_at, ?),
                  message_count = message_count + ?, handoff = (handoff OR ?)
                WHERE id = ? AND company_id = ?""",
                deltas.values().stream().map(d -> new Object[] {sql(d.lastMessageAt()), d.messages(), d.handoff(),
                        d.id(), d.companyId()}).toList());
    }

    private static Object[] column(Map<UUID, ConversationDelta> deltas, Function<ConversationDelta, Object> field) {
        return deltas.values().stream().map(field).toArray();
    }

    boolean conversationExists(UUID companyId, UUID agentId, UUID endUserId, UUID conversationId) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM conversations
                WHERE id = ? AND agent_id = ? AND end_user_id = ? AND company_id = ?""")
                .params(conversationId, agentId, endUserId, companyId).query(Long.class).single() > 0;
    }

    /** True when the message is an answer in one of the agent's conversations (and, if given, in that one). */
    /** The conversation of the agent's answer, if the message is one. */
    Optional<UUID> conversationOfAnswer(UUID companyId, UUID agentId, UUID messageId) {
        return jdbc.sql("""
                SELECT conversation_id FROM messages
                WHERE id = ? AND agent_id = ? AND company_id = ? AND role = 'assistant'""")
                .params(messageId, agentId, companyId).query(UUID.class).optional();
    }

    boolean conversationOfAgent(UUID companyId, UUID agentId, UUID conversationId) {
        return jdbc.sql("SELECT COUNT(*) FROM conversations WHERE id = ? AND agent_id = ? AND company_id = ?")
                .params(conversationId, agentId, companyId).query(Long.class).single() > 0;
    }

    void markHandoff(UUID companyId, UUID conversationId) {
        jdbc.sql("UPDATE conversations SET handoff = TRUE WHERE id = ? AND company_id = ?")
                .params(conversationId, companyId).update();
    }

    void setFeedback(UUID companyId, UUID messageId, int feedback, String comment) {
        jdbc.sql("UPDATE messages SET feedback = ?, feedback_comment = ? WHERE id = ? AND company_id = ?")
                .params(feedback, cipher.seal(comment, feedbackCommentContext(messageId)), messageId, companyId)
                .update();
    }

    List<Transcripts.ConversationSummary> conversationsOf(UUID companyId, UUID agentId, UUID endUserId,
            PageQuery page) {
        StringBuilder query = new StringBuilder(
                "SELECT * FROM conversations WHERE company_id = ? AND agent_id = ? AND end_user_id = ?");
        List<Object> params = new ArrayList<>(List.of(companyId, agentId, endUserId));
        if (page.after() != null) {
            query.append(" AND id > ?");
            params.add(page.after());
        }
        query.append(" ORDER BY id LIMIT ?");
        params.add(page.fetchSize());
        return jdbc.sql(query.toString()).params(params).query(ConversationRepository::summary).list();
    }

    Optional<Transcripts.ConversationSummary> conversation(UUID companyId, UUID agentId, UUID conversationId) {
        return jdbc.sql("SELECT * FROM conversations WHERE id = ? AND agent_id = ? AND company_id = ?")
                .params(conversationId, agentId, companyId).query(ConversationRepository::summary).optional();
    }

    List<Transcripts.Message> messages(UUID companyId, UUID conversationId) {
        return jdbc.sql("SELECT * FROM messages WHERE conversation_id = ? AND company_id = ? ORDER BY created_at, role DESC, id")
                .params(conversationId, companyId).query(this::message).list();
    }

    private static Transcripts.ConversationSummary summary(ResultSet rs, int row) throws SQLException {
        return new Transcripts.ConversationSummary(rs.getObject("id", UUID.class),
                rs.getObject("agent_id", UUID.class), rs.getObject("end_user_id", UUID.class),
                instant(rs, "started_at"), instant(rs, "last_message_at"), rs.getInt("message_count"),
                rs.getBoolean("handoff"));
    }

    private Transcripts.Message message(ResultSet rs, int row) throws SQLException {
        int feedback = rs.getInt("feedback");
        String feedbackText = rs.wasNull() ? null : feedback > 0 ? "up" : "down";
        UUID id = rs.getObject("id", UUID.class);
        return new Transcripts.Message(id, rs.getString("role"), cipher.open(rs.getString("content"), contentContext(id)),
                fromJson(rs.getString("citations")), (Boolean) rs.getObject("grounded"),
                (Boolean) rs.getObject("handoff"), (Boolean) rs.getObject("fallback"), rs.getString("provider"),
                rs.getString("model"), (Integer) rs.getObject("tokens_in"), (Integer) rs.getObject("tokens_out"),
                (Integer) rs.getObject("latency_ms"), rs.getBoolean("cancelled"), feedbackText,
                instant(rs, "created_at"));
    }

    private String toJson(List<Citation> citations) {
        try {
            return json.writeValueAsString(citations);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Citation> fromJson(String value) {
        try {
            return value == null ? List.of() : json.readValue(value, CITATIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Corrupt citations column", e);
        }
    }
}
