package io.engage.knowledge;

import io.engage.common.DaemonThreads;
import io.engage.common.Times;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs ingestion jobs in the background, never on request threads. Jobs live in the database (the source's status),
 * so any node can take them: a node claims a queued source with a conditional update and holds a lease it renews
 * while working. A node that dies stops renewing; its jobs are requeued when the lease runs out, and failed after
 * {@code maxAttempts} interruptions. A node that shuts down gracefully hands its jobs back at once.
 */
@Component
class IngestionWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IngestionWorker.class);
    /** Sources claimed together: their chunks are embedded in shared batches. */
    private static final int BATCH_SOURCES = 16;

    private final KnowledgeRepository repository;
    private final Ingestion ingestion;
    private final TransactionTemplate transactions;
    private final KnowledgeProperties properties;
    private final String nodeId = "node-" + UUID.randomUUID();
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();
    private final Semaphore slots;
    private ExecutorService workers;
    private ScheduledExecutorService scheduler;
    private volatile boolean active;

    private final boolean command;

    IngestionWorker(KnowledgeRepository repository, Ingestion ingestion, TransactionTemplate transactions,
            KnowledgeProperties properties, @Value("${engage.command:}") String command) {
        this.command = !command.isBlank();
        this.repository = repository;
        this.ingestion = ingestion;
        this.transactions = transactions;
        this.properties = properties;
        this.slots = new Semaphore(Math.max(1, properties.workers()));
    }

    @Override
    public void start() {
        workers = Executors.newFixedThreadPool(Math.max(1, properties.workers()),
                DaemonThreads.named("engage-ingest"));
        scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("engage-ingest-scheduler"));
        active = true;
        long leaseMillis = properties.jobLease().toMillis();
        scheduler.scheduleWithFixedDelay(this::recover, 0, Math.max(1000, leaseMillis / 2), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::renew, leaseMillis / 3, Math.max(500, leaseMillis / 3),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::drain, 500, 2000, TimeUnit.MILLISECONDS);
    }

    /** New work was queued: look for it now rather than at the next poll. */
    void signal() {
        if (active) {
            scheduler.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (active && slots.tryAcquire()) {
                List<UUID> claimed = new ArrayList<>();
                try {
                    for (UUID sourceId : repository.queuedIds(BATCH_SOURCES)) {
                        if (repository.claim(sourceId, nodeId, Times.now().plus(properties.jobLease()))) {
                            claimed.add(sourceId);
                        }
                    }
                } finally {
                    if (claimed.isEmpty()) {
                        slots.release();
                    }
                }
                if (claimed.isEmpty()) {
                    return;
                }
                running.addAll(claimed);
                workers.execute(() -> {
                    try {
                        process(claimed, nodeId);
                    } finally {
                        running.removeAll(claimed);
                        slots.release();
                        signal();
                    }
                });
            }
        } catch (RuntimeException e) {
            log.warn("Polling for ingestion jobs failed (will retry): {}", e.getMessage());
        }
    }

    /**
     * Ingests sources this node holds (claimed by the worker, or created in-line by the synchronous RAG API): each is
     * parsed and chunked on its own (a bad one fails alone), their chunks are embedded together, and each is stored
     * in its own transaction with its agent's version bump.
     */
    void process(List<UUID> sourceIds, String owner) {
        long start = System.nanoTime();
        List<KnowledgeRepository.Job> jobs = new ArrayList<>();
        List<Ingestion.Prepared> prepared = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (UUID sourceId : sourceIds) {
            KnowledgeRepository.Job job = repository.loadJob(sourceId).orElse(null);
            if (job == null) {
                continue; // deleted meanwhile
            }
            try {
                Ingestion.Prepared ready = ingestion.prepare(job.source(), job.content());
                repository.progress(sourceId, owner, SourceStatus.INDEXING);
                jobs.add(job);
                prepared.add(ready);
                texts.addAll(ready.embeddingTexts());
            } catch (DocumentParseException e) {
                log.info("Source {} failed: {}", sourceId, e.getMessage());
                repository.markFailed(sourceId, e.getMessage());
            } catch (UnsupportedDocumentTypeException e) {
                repository.markFailed(sourceId, "Unsupported file type " + e.mediaType());
            } catch (RuntimeException e) {
                log.error("Ingestion of source {} failed unexpectedly", sourceId, e);
                repository.markFailed(sourceId, "Internal error while ingesting this source");
            }
        }
        if (jobs.isEmpty()) {
            return;
        }
        long parsed = System.nanoTime();
        List<float[]> vectors;
        try {
            vectors = ingestion.embed(texts, () -> repository.renewLeases(owner,
                    Times.now().plus(properties.jobLease())));
        } catch (RuntimeException e) {
            log.error("Embedding failed for sources {}", sourceIds, e);
            jobs.forEach(job -> repository.markFailed(job.source().id(), "Internal error while embedding"));
            return;
        }
        long embedded = System.nanoTime();
        int offset = 0;
        int stored = 0;
        for (int i = 0; i < jobs.size(); i++) {
            KnowledgeRepository.Job job = jobs.get(i);
            Ingestion.Prepared ready = prepared.get(i);
            List<KnowledgeRepository.NewChunk> chunks = ready.withEmbeddings(
                    vectors.subList(offset, offset + ready.drafts().size()));
            offset += ready.drafts().size();
            KnowledgeSource source = job.source();
            boolean done = Boolean.TRUE.equals(transactions.execute(status -> {
                if (!repository.progress(source.id(), owner, SourceStatus.INDEXING)) {
                    return false; // deleted, or taken over after our lease expired
                }
                repository.replaceChunks(source.id(), source.agentId(), job.companyId(), chunks);
                repository.markReady(source.id(), ready.title(), chunks.size());
                repository.bumpVersion(source.agentId());
                return true;
            }));
            if (done) {
                stored += chunks.size();
            }
        }
        long end = System.nanoTime();
        log.info("Ingested {} sources ({} chunks) in {} ms (parse {} ms, embed {} ms, store {} ms)", jobs.size(),
                stored, (end - start) / 1_000_000, (parsed - start) / 1_000_000, (embedded - parsed) / 1_000_000,
                (end - embedded) / 1_000_000);
    }

    private void recover() {
        try {
            int recovered = repository.recoverExpired(Times.now(), properties.maxAttempts());
            if (recovered > 0) {
                log.warn("Recovered {} interrupted ingestion jobs", recovered);
                signal();
            }
        } catch (RuntimeException e) {
            log.warn("Recovering ingestion jobs failed (will retry): {}", e.getMessage());
        }
    }

    private void renew() {
        if (!running.isEmpty()) {
            try {
                repository.renewLeases(nodeId, Times.now().plus(properties.jobLease()));
            } catch (RuntimeException e) {
                log.warn("Renewing ingestion leases failed (will retry): {}", e.getMessage());
            }
        }
    }

    @Override
    public void stop() {
        active = false;
        scheduler.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            int released = repository.release(nodeId);
            if (released > 0) {
                log.info("Handed {} unfinished ingestion jobs back to the queue", released);
            }
        } catch (RuntimeException e) {
            log.warn("Could not hand back ingestion jobs; they resume when their lease expires: {}", e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return active;
    }

    /** Stops before the web server and the datasource. */
    /** A one-off command (e.g. reencrypt) runs no ingestion: it would take jobs and then exit. */
    @Override
    public boolean isAutoStartup() {
        return !command;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }

    String nodeId() {
        return nodeId;
    }

}
