package io.engage.knowledge;

import io.engage.common.DaemonThreads;
import io.engage.common.DatabaseOutages;
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
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs ingestion jobs in the background, never on request threads. Jobs live in the database (the source's status),
 * so any node can take them: a node claims a queued source with a conditional update and holds a lease it renews
 * while working. A node that dies stops renewing; its jobs are requeued when the lease runs out, and failed after
 * {@code maxAttempts} interruptions. A node that shuts down gracefully gives running jobs {@code shutdownGrace}
 * (10 s) to finish and hands the rest back at once. A source fails only for reasons of its own (unreadable,
 * unreachable URL), never because the database was unreachable or the node was shutting down.
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
    /** Set on shutdown: failures from then on may be the shutdown's doing (an interrupted fetch). */
    private volatile boolean stopping;

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
                List<UUID> claimed = claimQueued();
                if (claimed.isEmpty()) {
                    slots.release();
                    return;
                }
                running.addAll(claimed);
                workers.execute(() -> {
                    try {
                        process(claimed, nodeId);
                    } catch (RuntimeException e) {
                        log.warn("Ingestion of sources {} stopped: {}; they are retried when their leases run out",
                                claimed, e.toString());
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
     * Claims up to a batch of queued sources. What was claimed before a failure (the database going away half-way)
     * is still returned: it is this node's to process, and its worker slot must not be lost.
     */
    private List<UUID> claimQueued() {
        List<UUID> claimed = new ArrayList<>();
        try {
            for (UUID sourceId : repository.queuedIds(BATCH_SOURCES)) {
                if (repository.claim(sourceId, nodeId, Times.now().plus(properties.jobLease()))) {
                    claimed.add(sourceId);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Polling for ingestion jobs failed (will retry): {}", e.getMessage());
        }
        return claimed;
    }

    /**
     * Claims a source for ingestion in the calling thread (the synchronous RAG API), inside the transaction that
     * created it, so that no worker takes it meanwhile. The lease is the usual one, renewed while
     * {@link #processHere} works: if this node dies mid-way, another node resumes the job after one lease.
     */
    void claimHere(UUID sourceId) {
        repository.claim(sourceId, nodeId, Times.now().plus(properties.jobLease()));
    }

    /** Ingests a source claimed with {@link #claimHere}, in the calling thread. */
    void processHere(UUID sourceId) {
        running.add(sourceId);
        try {
            process(List.of(sourceId), nodeId);
        } finally {
            running.remove(sourceId);
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
                fail(sourceId, owner, e.getMessage());
            } catch (UnsupportedDocumentTypeException e) {
                fail(sourceId, owner, "Unsupported file type " + e.mediaType());
            } catch (RuntimeException e) {
                if (DatabaseOutages.isOutage(e)) {
                    throw e; // not the source's fault: the job is retried once its lease runs out
                }
                log.error("Ingestion of source {} failed unexpectedly", sourceId, e);
                fail(sourceId, owner, "Internal error while ingesting this source");
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
            if (DatabaseOutages.isOutage(e)) {
                throw e; // a lease renewal failed: the jobs are retried once their leases run out
            }
            log.error("Embedding failed for sources {}", sourceIds, e);
            jobs.forEach(job -> fail(job.source().id(), owner, "Internal error while embedding"));
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
            boolean done;
            try {
                done = Boolean.TRUE.equals(transactions.execute(status -> {
                    if (!repository.progress(source.id(), owner, SourceStatus.INDEXING)) {
                        return false; // deleted, or taken over after our lease expired
                    }
                    repository.replaceChunks(source.id(), source.agentId(), job.companyId(), chunks);
                    repository.markReady(source.id(), ready.title(), chunks.size());
                    repository.bumpVersion(source.agentId());
                    return true;
                }));
            } catch (RuntimeException e) {
                if (DatabaseOutages.isOutage(e) || e instanceof TransientDataAccessException) {
                    throw e; // not the source's fault (unreachable, a deadlock): retried once its lease runs out
                }
                // the database refused this source's rows (a constraint, a value it cannot hold): retrying cannot
                // help, and the sources after it are stored on their own
                log.error("Storing the chunks of source {} failed", source.id(), e);
                fail(source.id(), owner, "Internal error while storing this source");
                continue;
            }
            if (done) {
                stored += chunks.size();
            }
        }
        long end = System.nanoTime();
        log.info("Ingested {} sources ({} chunks) in {} ms (parse {} ms, embed {} ms, store {} ms)", jobs.size(),
                stored, (end - start) / 1_000_000, (parsed - start) / 1_000_000, (embedded - parsed) / 1_000_000,
                (end - embedded) / 1_000_000);
    }

    /**
     * Marks a job this node still holds as failed. Not while shutting down: the failure may be the shutdown's doing (a
     * fetch interrupted after the shutdown's grace period), so the job is handed back to the queue instead.
     */
    private void fail(UUID sourceId, String owner, String error) {
        if (stopping) {
            log.info("Source {} was interrupted by the shutdown ({}); it is handed back to the queue", sourceId,
                    error);
            return;
        }
        log.info("Source {} failed: {}", sourceId, error);
        repository.markFailed(sourceId, owner, error);
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
        stopping = true;
        active = false;
        scheduler.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
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

}
