package io.engage.analytics;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.engage.common.SqlDialect;
import io.engage.crypto.SecretCipher;
import io.engage.knowledge.Embedder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Writes of the analytics tables. Rollup rows are upserted in key order so that two nodes updating the same rows
 * cannot deadlock. PostgreSQL gets {@code INSERT ... ON CONFLICT DO UPDATE} (safe across nodes); embedded H2, which
 * has no such clause and only ever has this one node, updates and then inserts what did not exist.
 */
@Repository
class EventStore {

    private static final int IN_LIST = 500;

    /** A raw event with its estimated cost. */
    record Recorded(InteractionEvent event, long costNanos) {
    }

    /** One agent's hour ('h') or day ('d'): the key of a rollup row and of a user set. */
    record BucketKey(char grain, Instant bucket, UUID companyId, UUID agentId) {

        static final Comparator<BucketKey> ORDER = Comparator.comparing((BucketKey k) -> k.grain())
                .thenComparing(BucketKey::agentId).thenComparing(BucketKey::bucket);
    }

    record QuestionDelta(Instant day, UUID companyId, UUID agentId, String key, String question, long asked,
            long answered) {
    }

    /** What the resolution rate needs of a conversation. */
    static final class ConversationState {
        final UUID conversationId;
        final UUID companyId;
        final UUID agentId;
        final Instant startedAt;
        boolean handoff;
        int downVotes;
        final boolean unresolvedBefore;

        ConversationState(UUID conversationId, UUID companyId, UUID agentId, Instant startedAt, boolean handoff,
                int downVotes) {
            this.conversationId = conversationId;
            this.companyId = companyId;
            this.agentId = agentId;
            this.startedAt = startedAt;
            this.handoff = handoff;
            this.downVotes = downVotes;
            this.unresolvedBefore = unresolved();
        }

        boolean unresolved() {
            return handoff || downVotes > 0;
        }
    }

    /** The latest vote on an answer. */
    record Vote(UUID messageId, UUID companyId, UUID agentId, UUID eventId, int score, Instant at) {
    }

    record NewGap(UUID id, UUID companyId, UUID agentId, UUID conversationId, UUID messageId, String question,
            float[] embedding, Instant askedAt) {
    }

    private final JdbcTemplate jdbc;
    private final boolean postgres;
    private final SecretCipher cipher;
    private final Cache<UUID, Integer> ordinalCache = Caffeine.newBuilder().maximumSize(200_000).build();

    EventStore(JdbcTemplate jdbc, SqlDialect dialect, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.postgres = dialect.postgres();
        this.cipher = cipher;
    }

    // Question text (and an event's free text) is stored sealed (AES-256-GCM), each value bound to its row; question counts are grouped by a
    // blind index (a keyed digest of the normalised question) instead of the question itself.

    static String eventQuestionContext(UUID eventId) {
        return "analytics-event:" + eventId + ":question";
    }

    /** An event's free text: a feedback comment, the link clicked. */
    static String eventValueContext(UUID eventId) {
        return "analytics-event:" + eventId + ":value";
    }

    static String countedQuestionContext(String storedKey) {
        return "analytics-question:" + storedKey;
    }

    static String gapQuestionContext(UUID gapId) {
        return "analytics-gap:" + gapId + ":question";
    }

    /** The stored {@code question_key} of a normalised question (see {@link AnalyticsRecorder#questionKey}). */
    String storedQuestionKey(String normalisedQuestion) {
        return cipher.blindIndex("question-key", normalisedQuestion);
    }

    void insertEvents(List<Recorded> events) {
        jdbc.batchUpdate("""
                INSERT INTO analytics_events (id, company_id, agent_id, end_user_id, conversation_id, message_id, type,
                  occurred_at, question, latency_ms, tokens_in, tokens_out, cost_nanos, provider, model, grounded,
                  handoff, gap, fallback, cancelled, score, event_value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                events.stream().map(recorded -> {
                    InteractionEvent e = recorded.event();
                    InteractionEvent.Turn t = e.turn();
                    return new Object[] {e.id(), e.companyId(), e.agentId(), e.endUserId(), e.conversationId(),
                            e.messageId(), e.type(), sql(e.at()),
                            t == null ? null : cipher.seal(truncate(t.question(), 4000), eventQuestionContext(e.id())),
                            t == null ? null : t.latencyMs(), t == null ? null : t.tokensIn(),
                            t == null ? null : t.tokensOut(), t == null ? null : recorded.costNanos(),
                            t == null ? null : t.provider(), t == null ? null : t.model(),
                            t == null ? null : t.grounded(), t == null ? null : t.handoff(),
                            t == null ? null : t.gap(), t == null ? null : t.fallback(),
                            t == null ? null : t.cancelled(), e.score(),
                            cipher.seal(truncate(e.value(), 2000), eventValueContext(e.id()))};
                }).toList());
    }

    /** Adds the counter increments to their rollup rows. */
    void upsertRollups(Map<BucketKey, long[]> deltas) {
        List<Map.Entry<BucketKey, long[]>> sorted = deltas.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(BucketKey.ORDER)).toList();
        if (sorted.isEmpty()) {
            return;
        }
        String columns = String.join(", ", Counters.COLUMNS);
        String values = "?, ".repeat(Counters.SIZE + 4);
        if (postgres) {
            String updates = Counters.COLUMNS.stream().map(c -> c + " = analytics_rollups." + c + " + EXCLUDED." + c)
                    .collect(Collectors.joining(", "));
            jdbc.batchUpdate("INSERT INTO analytics_rollups (grain, bucket_start, company_id, agent_id, " + columns
                    + ") VALUES (" + values.substring(0, values.length() - 2) + ") ON CONFLICT (grain, agent_id, "
                    + "bucket_start) DO UPDATE SET " + updates, sorted.stream().map(EventStore::insertRow).toList());
            return;
        }
        String updates = Counters.COLUMNS.stream().map(c -> c + " = " + c + " + ?").collect(Collectors.joining(", "));
        updateThenInsert(sorted, "UPDATE analytics_rollups SET " + updates
                + " WHERE grain = ? AND agent_id = ? AND bucket_start = ?", d -> {
                    Object[] row = new Object[Counters.SIZE + 3];
                    for (int i = 0; i < Counters.SIZE; i++) {
                        row[i] = d.getValue()[i];
                    }
                    row[Counters.SIZE] = String.valueOf(d.getKey().grain());
                    row[Counters.SIZE + 1] = d.getKey().agentId();
                    row[Counters.SIZE + 2] = sql(d.getKey().bucket());
                    return row;
                }, "INSERT INTO analytics_rollups (grain, bucket_start, company_id, agent_id, " + columns
                        + ") VALUES (" + values.substring(0, values.length() - 2) + ")", EventStore::insertRow);
    }

    /** H2 only (one node, one writer): batch-updates the rows, then inserts those that did not exist. */
    private <T> void updateThenInsert(List<T> rows, String update, Function<T, Object[]> updateParams,
            String insert, Function<T, Object[]> insertParams) {
        int[] updated = jdbc.batchUpdate(update, rows.stream().map(updateParams).toList());
        List<Object[]> inserts = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (updated[i] == 0) {
                inserts.add(insertParams.apply(rows.get(i)));
            }
        }
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate(insert, inserts);
        }
    }

    private static Object[] insertRow(Map.Entry<BucketKey, long[]> d) {
        Object[] row = new Object[Counters.SIZE + 4];
        row[0] = String.valueOf(d.getKey().grain());
        row[1] = sql(d.getKey().bucket());
        row[2] = d.getKey().companyId();
        row[3] = d.getKey().agentId();
        for (int i = 0; i < Counters.SIZE; i++) {
            row[4 + i] = d.getValue()[i];
        }
        return row;
    }

    /**
     * Dense ordinals of end-users for the user sets, assigned on first sight and never changed (cached: a lookup
     * per answer would cost a query).
     */
    Map<UUID, Integer> ordinals(Collection<UUID> endUserIds) {
        Map<UUID, Integer> found = new HashMap<>(ordinalCache.getAllPresent(endUserIds));
        List<UUID> missing = endUserIds.stream().filter(id -> !found.containsKey(id)).sorted().toList();
        if (!missing.isEmpty()) {
            found.putAll(storedOrdinals(missing));
            List<UUID> unknown = missing.stream().filter(id -> !found.containsKey(id)).toList();
            if (!unknown.isEmpty()) {
                jdbc.batchUpdate("INSERT INTO analytics_user_ordinals (end_user_id, ordinal) VALUES "
                        + "(?, nextval('analytics_user_ordinal_seq')) ON CONFLICT DO NOTHING",
                        unknown.stream().map(id -> new Object[] {id}).toList());
                found.putAll(storedOrdinals(unknown));
            }
            ordinalCache.putAll(found);
        }
        return found;
    }

    private Map<UUID, Integer> storedOrdinals(List<UUID> ids) {
        Map<UUID, Integer> ordinals = new HashMap<>();
        forChunks(ids, chunk -> jdbc.query("SELECT end_user_id, ordinal FROM analytics_user_ordinals WHERE "
                + "end_user_id IN (" + placeholders(chunk.size()) + ")", (ResultSet rs) -> {
                    ordinals.put(rs.getObject("end_user_id", UUID.class), rs.getInt("ordinal"));
                }, chunk.toArray()));
        return ordinals;
    }

    /**
     * Adds end-users to the sets of their agents' hours/days; returns per set how many of them are new there. Rows
     * are created empty first, then locked and merged in key order, so two nodes adding to the same set serialise.
     */
    Map<BucketKey, Integer> addToUserSets(Map<BucketKey, RoaringBitmap> additions) {
        List<BucketKey> keys = additions.keySet().stream().sorted(BucketKey.ORDER).toList();
        Map<BucketKey, Integer> added = new HashMap<>();
        if (keys.isEmpty()) {
            return added;
        }
        byte[] empty = UserSets.bytes(new RoaringBitmap());
        jdbc.batchUpdate("INSERT INTO analytics_user_sets (grain, bucket_start, company_id, agent_id, users) VALUES "
                + "(?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", keys.stream().map(k -> new Object[] {
                        String.valueOf(k.grain()), sql(k.bucket()), k.companyId(), k.agentId(), empty}).toList());
        Map<BucketKey, RoaringBitmap> stored = new HashMap<>();
        for (int i = 0; i < keys.size(); i += IN_LIST) {
            List<BucketKey> chunk = keys.subList(i, Math.min(keys.size(), i + IN_LIST));
            List<Object> params = new ArrayList<>();
            chunk.forEach(k -> {
                params.add(String.valueOf(k.grain()));
                params.add(k.agentId());
                params.add(sql(k.bucket()));
            });
            jdbc.query("SELECT grain, company_id, agent_id, bucket_start, users FROM analytics_user_sets WHERE (grain, "
                    + "agent_id, "
                    + "bucket_start) IN (" + "(?, ?, ?), ".repeat(chunk.size()).replaceAll(", $", "")
                    + ") ORDER BY grain, agent_id, bucket_start FOR UPDATE", (ResultSet rs) -> {
                        BucketKey key = new BucketKey(rs.getString("grain").charAt(0), instant(rs, "bucket_start"),
                                rs.getObject("company_id", UUID.class), rs.getObject("agent_id", UUID.class));
                        stored.put(key, UserSets.bitmap(rs.getBytes("users")));
                    }, params.toArray());
        }
        List<Object[]> updates = new ArrayList<>();
        for (BucketKey key : keys) {
            RoaringBitmap users = stored.getOrDefault(key, new RoaringBitmap());
            long before = users.getLongCardinality();
            users.or(additions.get(key));
            int fresh = (int) (users.getLongCardinality() - before);
            added.put(key, fresh);
            if (fresh > 0) {
                updates.add(new Object[] {UserSets.bytes(users), String.valueOf(key.grain()), key.agentId(),
                        sql(key.bucket())});
            }
        }
        jdbc.batchUpdate("UPDATE analytics_user_sets SET users = ? WHERE grain = ? AND agent_id = ? AND "
                + "bucket_start = ?", updates);
        return added;
    }

    void upsertQuestions(Collection<QuestionDelta> questions) {
        // in primary-key order, so that two nodes upserting the same rows cannot deadlock
        List<QuestionDelta> sorted = questions.stream().sorted(Comparator.comparing(QuestionDelta::agentId)
                .thenComparing(QuestionDelta::day).thenComparing(q -> storedQuestionKey(q.key()))).toList();
        if (sorted.isEmpty()) {
            return;
        }
        String insert = """
                INSERT INTO analytics_questions (day_start, company_id, agent_id, question_key, question, asked, answered)
                VALUES (?, ?, ?, ?, ?, ?, ?)""";
        if (postgres) {
            jdbc.batchUpdate(insert + """
                     ON CONFLICT (agent_id, day_start, question_key) DO UPDATE
                    SET asked = analytics_questions.asked + EXCLUDED.asked,
                      answered = analytics_questions.answered + EXCLUDED.answered""",
                    sorted.stream().map(this::questionRow).toList());
            return;
        }
        updateThenInsert(sorted, """
                UPDATE analytics_questions SET asked = asked + ?, answered = answered + ?
                WHERE agent_id = ? AND day_start = ? AND question_key = ?""",
                q -> new Object[] {q.asked(), q.answered(), q.agentId(), sql(q.day()), storedQuestionKey(q.key())},
                insert, this::questionRow);
    }

    private Object[] questionRow(QuestionDelta q) {
        String key = storedQuestionKey(q.key());
        return new Object[] {sql(q.day()), q.companyId(), q.agentId(), key,
                cipher.encrypt(truncate(q.question(), 1000), countedQuestionContext(key)), q.asked(), q.answered()};
    }

    void insertConversations(Collection<ConversationState> started) {
        jdbc.batchUpdate("""
                INSERT INTO analytics_conversations (conversation_id, company_id, agent_id, started_at, handoff,
                  down_votes)
                VALUES (?, ?, ?, ?, FALSE, 0) ON CONFLICT DO NOTHING""",
                started.stream().map(c -> new Object[] {c.conversationId, c.companyId, c.agentId, sql(c.startedAt)})
                        .toList());
    }

    /** The stored states, locked until the transaction ends (another node may be updating the same ones). */
    Map<UUID, ConversationState> lockConversations(Collection<UUID> ids) {
        Map<UUID, ConversationState> states = new HashMap<>();
        forChunks(ids, chunk -> jdbc.query("SELECT * FROM analytics_conversations WHERE conversation_id IN ("
                + placeholders(chunk.size()) + ") ORDER BY conversation_id FOR UPDATE", (ResultSet rs) -> {
                    while (rs.next()) {
                        UUID id = rs.getObject("conversation_id", UUID.class);
                        states.put(id, new ConversationState(id, rs.getObject("company_id", UUID.class),
                                rs.getObject("agent_id", UUID.class), instant(rs, "started_at"),
                                rs.getBoolean("handoff"), rs.getInt("down_votes")));
                    }
                    return null;
                }, chunk.toArray()));
        return states;
    }

    void updateConversations(Collection<ConversationState> states) {
        jdbc.batchUpdate("UPDATE analytics_conversations SET handoff = ?, down_votes = ? WHERE conversation_id = ?",
                states.stream().sorted(Comparator.comparing(s -> s.conversationId))
                        .map(s -> new Object[] {s.handoff, s.downVotes, s.conversationId}).toList());
    }

    /** The latest stored vote on each of these answers. */
    Map<UUID, Vote> latestVotes(Collection<UUID> messageIds) {
        Map<UUID, Vote> votes = new HashMap<>();
        forChunks(messageIds, chunk -> jdbc.query("SELECT * FROM analytics_votes WHERE message_id IN ("
                + placeholders(chunk.size()) + ")", (ResultSet rs) -> {
                    UUID messageId = rs.getObject("message_id", UUID.class);
                    votes.put(messageId, new Vote(messageId, rs.getObject("company_id", UUID.class),
                            rs.getObject("agent_id", UUID.class), rs.getObject("event_id", UUID.class),
                            rs.getInt("score"), instant(rs, "voted_at")));
                }, chunk.toArray()));
        return votes;
    }

    void saveVotes(Collection<Vote> votes) {
        List<Vote> sorted = votes.stream().sorted(Comparator.comparing(Vote::messageId)).toList();
        if (sorted.isEmpty()) {
            return;
        }
        String insert = "INSERT INTO analytics_votes (message_id, company_id, agent_id, event_id, score, voted_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)";
        Function<Vote, Object[]> insertRow = v -> new Object[] {v.messageId(), v.companyId(), v.agentId(),
                v.eventId(), v.score(), sql(v.at())};
        if (postgres) {
            jdbc.batchUpdate(insert + " ON CONFLICT (message_id) DO UPDATE SET event_id = EXCLUDED.event_id, "
                    + "score = EXCLUDED.score, voted_at = EXCLUDED.voted_at", sorted.stream().map(insertRow).toList());
            return;
        }
        updateThenInsert(sorted, "UPDATE analytics_votes SET event_id = ?, score = ?, voted_at = ? WHERE "
                + "message_id = ?", v -> new Object[] {v.eventId(), v.score(), sql(v.at()), v.messageId()}, insert,
                insertRow);
    }

    void insertGaps(List<NewGap> gaps) {
        jdbc.batchUpdate("""
                INSERT INTO analytics_gaps (id, company_id, agent_id, conversation_id, message_id, question, embedding,
                  asked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                gaps.stream().map(g -> new Object[] {g.id(), g.companyId(), g.agentId(), g.conversationId(),
                        g.messageId(), cipher.seal(truncate(g.question(), 4000), gapQuestionContext(g.id())),
                        Embedder.toBytes(g.embedding()),
                        sql(g.askedAt())}).toList());
    }

    // ---- rebuild ----

    /** Fresh planner statistics after a bulk rewrite (autovacuum may be off, or not have run yet). */
    void analyzeDerived() {
        if (postgres) {
            jdbc.execute("ANALYZE analytics_rollups, analytics_user_sets, analytics_user_ordinals, "
                    + "analytics_questions, analytics_conversations, analytics_votes");
        }
    }

    void clearDerived() {
        for (String table : List.of("analytics_rollups", "analytics_user_sets", "analytics_questions",
                "analytics_conversations", "analytics_votes")) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    /** Every raw event in the order they happened, streamed. */
    void forEachEvent(Consumer<Recorded> consumer) {
        jdbc.query(con -> {
            var statement = con.prepareStatement("SELECT * FROM analytics_events ORDER BY occurred_at, id",
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(5000);
            return statement;
        }, (ResultSet rs) -> {
            consumer.accept(eventOf(rs));
        });
    }

    private Recorded eventOf(ResultSet rs) throws SQLException {
        String type = rs.getString("type");
        UUID id = rs.getObject("id", UUID.class);
        InteractionEvent.Turn turn = null;
        long cost = 0;
        if (InteractionEvent.TURN.equals(type)) {
            turn = new InteractionEvent.Turn(cipher.open(rs.getString("question"), eventQuestionContext(id)), null, rs.getInt("latency_ms"),
                    rs.getInt("tokens_in"), rs.getInt("tokens_out"), rs.getString("provider"), rs.getString("model"),
                    rs.getBoolean("grounded"), rs.getBoolean("handoff"), rs.getBoolean("gap"),
                    rs.getBoolean("fallback"), rs.getBoolean("cancelled"));
            cost = rs.getLong("cost_nanos");
        }
        int score = rs.getInt("score");
        Integer scoreOrNull = rs.wasNull() ? null : score;
        return new Recorded(new InteractionEvent(id, type,
                rs.getObject("company_id", UUID.class), rs.getObject("agent_id", UUID.class),
                rs.getObject("end_user_id", UUID.class), rs.getObject("conversation_id", UUID.class),
                rs.getObject("message_id", UUID.class), instant(rs, "occurred_at"), turn, scoreOrNull,
                cipher.open(rs.getString("event_value"), eventValueContext(id))), cost);
    }

    private static void forChunks(Collection<UUID> ids, Consumer<List<UUID>> action) {
        List<UUID> all = List.copyOf(ids);
        for (int i = 0; i < all.size(); i += IN_LIST) {
            action.accept(all.subList(i, Math.min(all.size(), i + IN_LIST)));
        }
    }

    static String placeholders(int count) {
        return "?, ".repeat(count).substring(0, count * 3 - 2);
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
