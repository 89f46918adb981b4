package io.engage.knowledge;

import io.engage.cluster.AgentStamps;
import io.engage.cluster.StampedCache;
import io.engage.common.ApiProblem;
import io.engage.common.Ids;
import io.engage.common.Page;
import io.engage.common.PageQuery;
import io.engage.common.Times;
import io.engage.crypto.SecretCipher;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An agent's knowledge: adding sources (deduplicated by content), listing, deleting, full sync by external id, and
 * what retrieval reads (chunks and the knowledge version). Callers have checked that the agent belongs to the
 * company; every statement filters by company as well.
 */
@Service
public class KnowledgeService {

    /** A source to add, as received. */
    record NewSource(SourceType type, String title, String externalId, String url, String filename, String mediaType,
            byte[] content) {
    }

    /** The source, and whether it existed already (same content added before). */
    record Added(KnowledgeSource source, boolean duplicate) {
    }

    /** What a full sync did. */
    record SyncResult(int added, int updated, int unchanged, int removed, List<KnowledgeSource> sources) {
    }

    private final KnowledgeRepository repository;
    private final IngestionWorker worker;
    private final TransactionTemplate transactions;
    private final Ingestion ingestion;

    private final StampedCache<UUID, Long> versions;

    KnowledgeService(KnowledgeRepository repository, IngestionWorker worker, TransactionTemplate transactions,
            Ingestion ingestion, AgentStamps stamps) {
        this.repository = repository;
        this.worker = worker;
        this.transactions = transactions;
        this.ingestion = ingestion;
        this.versions = stamps.newCache(100_000);
    }

    // ---- public: what retrieval reads ----

    /**
     * Changes whenever the agent's searchable knowledge changes (0 when it has none yet). Read on every search, so
     * it is cached until the agent's stamp moves on (every version bump moves it).
     */
    public long version(UUID agentId) {
        return versions.get(agentId, agentId, () -> repository.version(agentId));
    }

    /** Every chunk of the agent's ready sources. */
    @Transactional(readOnly = true)
    public void forEachChunk(UUID agentId, Consumer<StoredChunk> consumer) {
        repository.forEachChunk(agentId, consumer);
    }

    /**
     * The question and answer of those of {@code sourceIds} that are FAQ sources of the company's agent (others are
     * absent from the map). A source's content never changes, so callers may cache the result by source id.
     */
    @Transactional(readOnly = true)
    public Map<UUID, FaqEntry> faqEntries(UUID companyId, UUID agentId, Collection<UUID> sourceIds) {
        Map<UUID, FaqEntry> entries = new HashMap<>();
        repository.faqContents(companyId, agentId, sourceIds).forEach((id, content) ->
                ingestion.faqEntry(content).ifPresent(entry -> entries.put(id, entry)));
        return entries;
    }

    /** Queues a Markdown/plain-text source for ingestion (seeding, imports); returns the source id. */
    @Transactional
    public UUID addText(UUID companyId, UUID agentId, String title, String markdown) {
        return add(companyId, agentId, new NewSource(SourceType.TEXT, title, null, null, null,
                DocumentParser.MARKDOWN, markdown.getBytes(StandardCharsets.UTF_8))).source().id();
    }

    /** Queues an FAQ pair for ingestion; returns the source id. */
    @Transactional
    public UUID addFaq(UUID companyId, UUID agentId, String question, String answer) {
        return add(companyId, agentId, new NewSource(SourceType.FAQ, question, null, null, null, "application/json",
                ingestion.faqContent(question, answer))).source().id();
    }

    // ---- company operations ----

    /** Queues a source for background ingestion (or returns the existing one with the same content). */
    @Transactional
    Added add(UUID companyId, UUID agentId, NewSource source) {
        Added added = insert(companyId, agentId, source, SourceStatus.QUEUED);
        if (!added.duplicate()) {
            afterCommit(worker::signal);
        }
        return added;
    }

    /**
     * Ingests a source in the calling thread (RAG API) and returns it ready or failed. The source is created already
     * claimed by this node, so no background worker picks it up meanwhile.
     */
    Added addAndIndexNow(UUID companyId, UUID agentId, NewSource source) {
        Added added = transactions.execute(status -> {
            Added inserted = insert(companyId, agentId, source, SourceStatus.QUEUED);
            if (!inserted.duplicate()) {
                worker.claimHere(inserted.source().id());
            }
            return inserted;
        });
        if (added.duplicate()) {
            return added;
        }
        worker.processHere(added.source().id());
        KnowledgeSource done = repository.find(companyId, agentId, added.source().id())
                .orElseThrow(() -> ApiProblem.notFound("Knowledge source", added.source().id()));
        return new Added(done, false);
    }

    private Added insert(UUID companyId, UUID agentId, NewSource source, SourceStatus status) {
        String hash = contentHash(source);
        var existing = repository.findByHash(agentId, hash);
        if (existing.isPresent()) {
            return new Added(existing.get(), true);
        }
        Instant now = Times.now();
        KnowledgeSource created = new KnowledgeSource(Ids.newId(), agentId, source.type(), source.title(),
                source.externalId(), source.url(), source.filename(), source.mediaType(), source.content().length,
                status, null, 0, now, now);
        try {
            repository.insertSource(created, companyId, hash, source.content());
        } catch (DuplicateKeyException e) {
            throw ApiProblem.conflict("Duplicate source", source.externalId() != null
                    ? "The agent already has a source with externalId " + source.externalId()
                    : "The same content was added at the same moment");
        }
        return new Added(created, false);
    }

    @Transactional(readOnly = true)
    Page<KnowledgeSource> list(UUID companyId, UUID agentId, PageQuery page) {
        return Page.of(repository.list(companyId, agentId, page), page, KnowledgeSource::id);
    }

    @Transactional(readOnly = true)
    KnowledgeSource get(UUID companyId, UUID agentId, UUID sourceId) {
        return repository.find(companyId, agentId, sourceId)
                .orElseThrow(() -> ApiProblem.notFound("Knowledge source", sourceId));
    }

    @Transactional
    void delete(UUID companyId, UUID agentId, UUID sourceId) {
        if (!repository.delete(companyId, agentId, sourceId)) {
            throw ApiProblem.notFound("Knowledge source", sourceId);
        }
        repository.bumpVersion(agentId);
    }

    /**
     * Makes the agent's externally-identified sources exactly the given documents: new ones are added, changed ones
     * replaced, unchanged ones kept, and those absent from the list removed. Sources added without an external id
     * are left alone.
     */
    @Transactional
    SyncResult sync(UUID companyId, UUID agentId, List<NewSource> documents) {
        Map<String, KnowledgeRepository.HashedSource> current = new HashMap<>();
        for (KnowledgeRepository.HashedSource existing : repository.listWithExternalId(companyId, agentId)) {
            current.put(existing.source().externalId(), existing);
        }
        int added = 0;
        int updated = 0;
        int unchanged = 0;
        boolean removedAny = false;
        Set<String> wanted = new HashSet<>();
        List<KnowledgeSource> result = new ArrayList<>();
        for (NewSource document : documents) {
            if (!wanted.add(document.externalId())) {
                throw ApiProblem.unprocessable("documents", "externalId " + document.externalId()
                        + " appears more than once");
            }
            KnowledgeRepository.HashedSource existing = current.get(document.externalId());
            if (existing != null && existing.contentHash().equals(contentHash(document))) {
                unchanged++;
                result.add(existing.source());
                continue;
            }
            if (existing != null) {
                repository.delete(companyId, agentId, existing.source().id());
                removedAny = true;
                updated++;
            } else {
                added++;
            }
            result.add(insert(companyId, agentId, document, SourceStatus.QUEUED).source());
        }
        int removed = 0;
        for (KnowledgeRepository.HashedSource existing : current.values()) {
            if (!wanted.contains(existing.source().externalId())) {
                repository.delete(companyId, agentId, existing.source().id());
                removed++;
                removedAny = true;
            }
        }
        if (removedAny) {
            repository.bumpVersion(agentId);
        }
        if (added + updated > 0) {
            afterCommit(worker::signal);
        }
        return new SyncResult(added, updated, unchanged, removed, result);
    }

    /** Same type, external id and bytes → same source. */
    static String contentHash(NewSource source) {
        String identity = source.type().wire() + "\n" + (source.externalId() == null ? "" : source.externalId())
                + "\n";
        return SecretCipher.sha256Hex(identity.getBytes(StandardCharsets.UTF_8), source.content());
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }
}
