package io.engage.knowledge;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

import io.engage.cluster.AgentStamps;
import io.engage.common.Ids;
import io.engage.common.PageQuery;
import io.engage.common.Times;
import io.engage.common.WireEnum;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sources, their content, chunks and per-agent knowledge versions. Company-facing statements filter by company. */
@Repository
class KnowledgeRepository {

    /** A chunk ready to be stored. */
    record NewChunk(int ordinal, String text, List<String> headingPath, float[] embedding) {
    }

    /** A claimed ingestion job. */
    record Job(KnowledgeSource source, UUID companyId, byte[] content) {
    }

    private static final String HEADING_SEPARATOR = "\u001f";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final AgentStamps stamps;

    KnowledgeRepository(JdbcClient jdbc, JdbcTemplate batch, AgentStamps stamps) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.stamps = stamps;
    }

    void insertSource(KnowledgeSource s, UUID companyId, String contentHash, byte[] content) {
        jdbc.sql("""
                INSERT INTO knowledge_sources (id, agent_id, company_id, type, title, external_id, url, filename,
                  media_type, content_hash, byte_size, status, chunk_count, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)""")
                .params(s.id(), s.agentId(), companyId, s.type().wire(), s.title(), s.externalId(), s.url(),
                        s.filename(), s.mediaType(), contentHash, s.byteSize(), s.status().wire(),
                        sql(s.createdAt()), sql(s.updatedAt()))
                .update();
        jdbc.sql("INSERT INTO knowledge_source_content (source_id, content) VALUES (?, ?)")
                .params(s.id(), content).update();
    }

    Optional<KnowledgeSource> find(UUID companyId, UUID agentId, UUID sourceId) {
        return jdbc.sql("SELECT * FROM knowledge_sources WHERE id = ? AND agent_id = ? AND company_id = ?")
                .params(sourceId, agentId, companyId).query(KnowledgeRepository::map).optional();
    }

    Optional<KnowledgeSource> findByHash(UUID agentId, String contentHash) {
        return jdbc.sql("SELECT * FROM knowledge_sources WHERE agent_id = ? AND content_hash = ?")
                .params(agentId, contentHash).query(KnowledgeRepository::map).optional();
    }

    List<KnowledgeSource> list(UUID companyId, UUID agentId, PageQuery page) {
        List<Object> params = new ArrayList<>(List.of(agentId, companyId));
        String after = "";
        if (page.after() != null) {
            after = " AND id > ?";
            params.add(page.after());
        }
        params.add(page.fetchSize());
        return jdbc.sql("SELECT * FROM knowledge_sources WHERE agent_id = ? AND company_id = ?" + after
                + " ORDER BY id LIMIT ?").params(params).query(KnowledgeRepository::map).list();
    }

    /** A source with its content hash, for full sync. */
    record HashedSource(KnowledgeSource source, String contentHash) {
    }

    /** Sources with an external id, for full sync. */
    List<HashedSource> listWithExternalId(UUID companyId, UUID agentId) {
        return jdbc.sql("SELECT * FROM knowledge_sources WHERE agent_id = ? AND company_id = ? "
                + "AND external_id IS NOT NULL").params(agentId, companyId)
                .query((rs, row) -> new HashedSource(map(rs, row), rs.getString("content_hash"))).list();
    }

    boolean delete(UUID companyId, UUID agentId, UUID sourceId) {
        return jdbc.sql("DELETE FROM knowledge_sources WHERE id = ? AND agent_id = ? AND company_id = ?")
                .params(sourceId, agentId, companyId).update() == 1;
    }

    // ---- jobs ----

    List<UUID> queuedIds(int limit) {
        return jdbc.sql("SELECT id FROM knowledge_sources WHERE status = 'queued' ORDER BY id LIMIT ?").param(limit)
                .query(UUID.class).list();
    }

    /** Takes a queued job for this node; false when another node took it first. */
    boolean claim(UUID sourceId, String owner, Instant leaseUntil) {
        return jdbc.sql("""
                UPDATE knowledge_sources SET status = 'parsing', lease_owner = ?, lease_until = ?,
                  attempts = attempts + 1, updated_at = ?
                WHERE id = ? AND status = 'queued'""")
                .params(owner, sql(leaseUntil), sql(Times.now()), sourceId).update() == 1;
    }

    Optional<Job> loadJob(UUID sourceId) {
        return jdbc.sql("""
                SELECT s.*, c.content FROM knowledge_sources s
                JOIN knowledge_source_content c ON c.source_id = s.id WHERE s.id = ?""")
                .param(sourceId)
                .query((rs, row) -> new Job(map(rs, row), rs.getObject("company_id", UUID.class),
                        rs.getBytes("content")))
                .optional();
    }

    /** Moves a job this node holds to a new status; false when the source is gone or no longer ours. */
    boolean progress(UUID sourceId, String owner, SourceStatus status) {
        return jdbc.sql("UPDATE knowledge_sources SET status = ?, updated_at = ? WHERE id = ? AND lease_owner = ?")
                .params(status.wire(), sql(Times.now()), sourceId, owner).update() == 1;
    }

    void renewLeases(String owner, Instant leaseUntil) {
        jdbc.sql("UPDATE knowledge_sources SET lease_until = ? WHERE lease_owner = ? "
                + "AND status IN ('parsing', 'indexing')").params(sql(leaseUntil), owner).update();
    }

    /** Jobs whose node stopped renewing: retried, or failed once they were interrupted too often. */
    int recoverExpired(Instant now, int maxAttempts) {
        int failed = jdbc.sql("""
                UPDATE knowledge_sources SET status = 'failed', lease_owner = NULL, lease_until = NULL, updated_at = ?,
                  error = 'Ingestion was interrupted ' || attempts || ' times (server restarts?); add the source again'
                WHERE status IN ('parsing', 'indexing') AND lease_until < ? AND attempts >= ?""")
                .params(sql(now), sql(now), maxAttempts).update();
        int requeued = jdbc.sql("""
                UPDATE knowledge_sources SET status = 'queued', lease_owner = NULL, lease_until = NULL, updated_at = ?
                WHERE status IN ('parsing', 'indexing') AND lease_until < ?""")
                .params(sql(now), sql(now)).update();
        return failed + requeued;
    }

    /** On graceful shutdown: give this node's unfinished jobs back to the queue at once. */
    int release(String owner) {
        return jdbc.sql("""
                UPDATE knowledge_sources SET status = 'queued', lease_owner = NULL, lease_until = NULL,
                  attempts = attempts - 1
                WHERE lease_owner = ? AND status IN ('parsing', 'indexing')""").param(owner).update();
    }

    void markReady(UUID sourceId, String title, int chunkCount) {
        jdbc.sql("""
                UPDATE knowledge_sources SET status = 'ready', title = ?, chunk_count = ?, error = NULL,
                  lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ?""")
                .params(title.length() > 500 ? title.substring(0, 500) : title, chunkCount, sql(Times.now()),
                        sourceId).update();
    }

    /** Fails a job this node holds; a no-op once the job was handed back or taken over by another node. */
    void markFailed(UUID sourceId, String owner, String error) {
        jdbc.sql("""
                UPDATE knowledge_sources SET status = 'failed', error = ?, lease_owner = NULL, lease_until = NULL,
                  updated_at = ? WHERE id = ? AND lease_owner = ?""")
                .params(error.length() > 2000 ? error.substring(0, 2000) : error, sql(Times.now()), sourceId, owner)
                .update();
    }

    // ---- chunks ----

    void replaceChunks(UUID sourceId, UUID agentId, UUID companyId, List<NewChunk> chunks) {
        jdbc.sql("DELETE FROM knowledge_chunks WHERE source_id = ?").param(sourceId).update();
        var now = sql(Times.now());
        List<Object[]> rows = new ArrayList<>(chunks.size());
        for (NewChunk chunk : chunks) {
            rows.add(new Object[] {Ids.newId(), sourceId, agentId, companyId, chunk.ordinal(), chunk.text(),
                    String.join(HEADING_SEPARATOR, chunk.headingPath()), Embedder.toBytes(chunk.embedding()), now});
        }
        batch.batchUpdate("""
                INSERT INTO knowledge_chunks (id, source_id, agent_id, company_id, ordinal, text, heading_path,
                  embedding, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
    }

    /** The stored content of those of {@code sourceIds} that are FAQ sources of the company's agent. */
    Map<UUID, byte[]> faqContents(UUID companyId, UUID agentId, Collection<UUID> sourceIds) {
        Map<UUID, byte[]> contents = new HashMap<>();
        if (sourceIds.isEmpty()) {
            return contents;
        }
        jdbc.sql("""
                SELECT s.id, c.content FROM knowledge_sources s
                JOIN knowledge_source_content c ON c.source_id = s.id
                WHERE s.company_id = :companyId AND s.agent_id = :agentId AND s.type = 'faq' AND s.id IN (:ids)""")
                .param("companyId", companyId).param("agentId", agentId).param("ids", List.copyOf(sourceIds))
                .query(rs -> {
                    contents.put(rs.getObject("id", UUID.class), rs.getBytes("content"));
                });
        return contents;
    }

    /** Streams every chunk of a ready source of the agent, with its source's title and URL. */
    void forEachChunk(UUID agentId, Consumer<StoredChunk> consumer) {
        jdbc.sql("""
                SELECT c.id, c.source_id, c.text, c.heading_path, c.embedding, s.title, s.url
                FROM knowledge_chunks c JOIN knowledge_sources s ON s.id = c.source_id
                WHERE c.agent_id = ? AND s.status = 'ready' ORDER BY c.source_id, c.ordinal""")
                .param(agentId)
                .query(rs -> {
                    String headings = rs.getString("heading_path");
                    consumer.accept(new StoredChunk(rs.getObject("id", UUID.class),
                            rs.getObject("source_id", UUID.class), rs.getString("title"), rs.getString("url"),
                            headings.isEmpty() ? List.of() : Arrays.asList(headings.split(HEADING_SEPARATOR)),
                            rs.getString("text"), Embedder.toFloats(rs.getBytes("embedding"))));
                });
    }

    // ---- versions ----

    long version(UUID agentId) {
        return jdbc.sql("SELECT version FROM knowledge_versions WHERE agent_id = ?").param(agentId)
                .query(Long.class).optional().orElse(0L);
    }

    /**
     * Marks the agent's knowledge as changed: every node's cached index for it becomes stale. The first bump of an
     * agent creates its row with {@code ON CONFLICT DO NOTHING}, not by catching a duplicate key: on PostgreSQL a
     * failed insert aborts the whole transaction, so two first bumps at once failed the second request.
     */
    void bumpVersion(UUID agentId) {
        String bump = "UPDATE knowledge_versions SET version = version + 1 WHERE agent_id = ?";
        if (jdbc.sql(bump).param(agentId).update() == 0) {
            jdbc.sql("INSERT INTO knowledge_versions (agent_id, version) VALUES (?, 0) ON CONFLICT DO NOTHING")
                    .param(agentId).update();
            jdbc.sql(bump).param(agentId).update();
        }
        stamps.changed(agentId);
    }

    // ---- mapping ----

    private static KnowledgeSource map(ResultSet rs, int row) throws SQLException {
        return new KnowledgeSource(rs.getObject("id", UUID.class), rs.getObject("agent_id", UUID.class),
                WireEnum.parse(SourceType.class, rs.getString("type")), rs.getString("title"),
                rs.getString("external_id"), rs.getString("url"), rs.getString("filename"),
                rs.getString("media_type"), rs.getLong("byte_size"),
                WireEnum.parse(SourceStatus.class, rs.getString("status")), rs.getString("error"),
                rs.getInt("chunk_count"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }
}
