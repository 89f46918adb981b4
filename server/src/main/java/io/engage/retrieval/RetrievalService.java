package io.engage.retrieval;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.engage.agents.AgentDeleted;
import io.engage.common.DaemonThreads;
import io.engage.knowledge.Embedder;
import io.engage.knowledge.KnowledgeService;
import io.engage.knowledge.StoredChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Searches an agent's knowledge. The agent's index is built on first use from the database and kept until the
 * agent's knowledge version moves on (checked with one primary-key read per search), so a change made through any
 * node is seen by every node on its next search. Large indexes (over {@code sync-rebuild-limit} chunks) are the
 * exception: rebuilding them takes seconds, so searches keep using the previous version while one rebuild runs in
 * the background, instead of every search waiting (or a stream of additions causing a rebuild per search).
 */
@Service
public class RetrievalService {

    private static final Logger log = LoggerFactory.getLogger(RetrievalService.class);

    private final KnowledgeService knowledge;
    private final Embedder embedder;
    private final int candidates;
    private final AgentIndex.Fusion fusion;
    private final Cache<UUID, AgentIndex> indexes;
    private final int syncRebuildLimit;
    private final Set<UUID> rebuilding = ConcurrentHashMap.newKeySet();
    /** Results per (agent, knowledge version, query, k, mode); a version bump makes old entries unreachable. */
    private final Cache<ResultKey, List<SearchHit>> results;
    private final ExecutorService rebuilder =
            Executors.newSingleThreadExecutor(DaemonThreads.named("engage-index-rebuild"));

    RetrievalService(KnowledgeService knowledge, Embedder embedder, RetrievalProperties properties) {
        this.knowledge = knowledge;
        this.embedder = embedder;
        this.candidates = properties.candidates();
        this.fusion = properties.toFusion();
        this.syncRebuildLimit = properties.syncRebuildLimit();
        this.indexes = Caffeine.newBuilder()
                .maximumWeight(properties.maxCachedChunks())
                .weigher((UUID agentId, AgentIndex index) -> index.size() + 1)
                .build();
        this.results = Caffeine.newBuilder().maximumSize(properties.resultCacheSize()).build();
    }

    private record ResultKey(UUID agentId, long version, String query, int k, SearchMode mode) {
    }

    /** The k passages of the agent's knowledge that best answer the query (hybrid BM25 + vectors). */
    public List<SearchHit> search(UUID agentId, String query, int k) {
        return search(agentId, query, k, SearchMode.HYBRID);
    }

    /** The k best passages by one retrieval mode. */
    public List<SearchHit> search(UUID agentId, String query, int k, SearchMode mode) {
        if (query == null || query.isBlank()) {
            return List.of();
        }
        AgentIndex index = current(agentId);
        if (index.size() == 0) {
            return List.of();
        }
        return results.get(new ResultKey(agentId, index.version(), query, k, mode), key -> {
            // keyword-only search has no use for the query's embedding (similarities are then reported as 0); the
            // others embed the query on an idle core, if there is one, while the keyword side searches
            Supplier<float[]> vector = mode == SearchMode.KEYWORD ? () -> null
                    : SpareCores.alongside(() -> embedder.embedQuery(query));
            return List.copyOf(index.searchWithPendingVector(query, vector, k, Math.max(candidates, k), mode, fusion));
        });
    }

    private AgentIndex current(UUID agentId) {
        long version = knowledge.version(agentId);
        AgentIndex cached = indexes.getIfPresent(agentId);
        if (cached != null && cached.version() == version) {
            return cached;
        }
        if (cached != null && cached.size() > syncRebuildLimit) {
            rebuildInBackground(agentId);
            return cached;
        }
        // one build per agent at a time: concurrent searches wait for it instead of building it again
        return indexes.asMap().compute(agentId, (id, existing) ->
                existing != null && existing.version() == version ? existing : build(id, version));
    }

    private void rebuildInBackground(UUID agentId) {
        if (!rebuilding.add(agentId)) {
            return; // one rebuild per agent at a time; a later search picks up any newer version
        }
        rebuilder.execute(() -> {
            try {
                long version = knowledge.version(agentId);
                AgentIndex fresh = build(agentId, version);
                indexes.asMap().merge(agentId, fresh, (old, built) -> old.version() >= built.version() ? old : built);
            } catch (RuntimeException e) {
                log.warn("Rebuilding the retrieval index of agent {} failed (searches use the previous one): {}",
                        agentId, e.getMessage());
            } finally {
                rebuilding.remove(agentId);
            }
        });
    }

    @PreDestroy
    void stop() {
        rebuilder.shutdownNow();
    }

    private AgentIndex build(UUID agentId, long version) {
        long start = System.nanoTime();
        List<StoredChunk> chunks = new ArrayList<>();
        knowledge.forEachChunk(agentId, chunks::add);
        AgentIndex index = AgentIndex.build(version, chunks);
        log.info("Built retrieval index of agent {} (knowledge version {}): {} chunks in {} ms", agentId, version,
                chunks.size(), (System.nanoTime() - start) / 1_000_000);
        return index;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void onAgentDeleted(AgentDeleted event) {
        indexes.invalidate(event.agentId());
    }
}
