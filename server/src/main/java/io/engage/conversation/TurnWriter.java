package io.engage.conversation;

import io.engage.analytics.Analytics;
import io.engage.analytics.InteractionEvent;
import io.engage.common.ApiProblem;
import io.engage.common.DatabaseOutages;
import io.engage.common.WriteBarrier;
import io.engage.conversation.ConversationRepository.NewConversation;
import io.engage.endusers.EndUsers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores turns, new conversations, feedback and widget events off the request path: requests enqueue, one writer
 * thread stores whatever has queued up in one transaction (JDBC batches), so under load a hundred answers cost one
 * commit instead of a hundred. Order is kept (a conversation before its messages, a message before its feedback).
 *
 * <p>Consistency: what is queued but not yet stored is visible to the runtime through {@link #pendingConversation}
 * and {@link #pendingConversationOfAnswer}, and {@link #awaitWritten()} lets reads wait for it (transcripts, end-user lists).
 * While the database is unreachable the queue holds the writes and the writer retries; when the queue is full a
 * request waits up to two seconds, then gets 503, so nothing is dropped silently. A write the database refuses on its
 * own data (say its agent was deleted meanwhile) is dropped alone, with an error in the log, and never blocks the
 * writes behind it. On shutdown the queue is drained after the web server has finished its requests (waiting up to
 * 30 s for an unreachable database); anything submitted after that is written synchronously. Only a crash of the
 * node loses the writes queued at that moment: normally the write linger's worth (25 ms) and what arrived while a
 * batch was being stored.
 */
@Component
class TurnWriter implements WriteBarrier, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TurnWriter.class);
    private static final int MAX_BATCH = 500;

    sealed interface Write permits Created, Answered, Feedback, Handoff, Event {
    }

    record Created(ConversationRepository.NewConversation conversation) implements Write {
    }

    record Answered(ConversationRepository.Turn turn, UUID endUserId, boolean gap) implements Write {
    }

    record Feedback(UUID companyId, UUID messageId, int value, String comment) implements Write {
    }

    record Handoff(UUID companyId, UUID conversationId) implements Write {
    }

    /** A widget event (feedback: score +1/-1 and the comment as value), stored for analytics only. */
    record Event(UUID id, UUID companyId, UUID agentId, UUID endUserId, UUID conversationId, UUID messageId,
            String type, Integer score, String value, Instant at) implements Write {
    }

    private record Entry(long sequence, Write write) {
    }

    private record PendingConversation(UUID agentId, UUID endUserId) {
    }

    private record PendingAnswer(UUID agentId, UUID conversationId) {
    }

    private final ConversationRepository repository;
    private final EndUsers endUsers;
    private final Analytics analytics;
    private final TransactionTemplate transactions;
    private final BlockingQueue<Entry> queue;
    private final long lingerNanos;
    private final Map<UUID, PendingConversation> pendingConversations = new ConcurrentHashMap<>();
    private final Map<UUID, PendingAnswer> pendingAnswers = new ConcurrentHashMap<>();
    private final AtomicLong submitted = new AtomicLong();
    private final Object progress = new Object();
    private volatile long written;
    private volatile boolean running;
    private volatile boolean accepting;
    /** Set when shutdown stopped waiting for the database: retrying further is pointless. */
    private volatile boolean abandoned;
    private Thread thread;

    TurnWriter(ConversationRepository repository, EndUsers endUsers, Analytics analytics,
            TransactionTemplate transactions, ConversationProperties properties) {
        this.repository = repository;
        this.endUsers = endUsers;
        this.analytics = analytics;
        this.transactions = transactions;
        this.queue = new ArrayBlockingQueue<>(properties.writeQueueCapacity());
        this.lingerNanos = Math.max(0, properties.writeLinger().toNanos());
    }

    void submit(Write write) {
        if (!accepting) {
            // shutting down (or not started): store it now, in the caller's thread
            store(List.of(write));
            return;
        }
        remember(write);
        Entry entry;
        synchronized (this) {
            // sequence numbers follow queue order, so "written up to n" means everything before n too
            entry = new Entry(submitted.incrementAndGet(), write);
            try {
                if (!queue.offer(entry, 2, TimeUnit.SECONDS)) {
                    submitted.decrementAndGet();
                    forget(write);
                    throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Temporarily unavailable",
                            "Conversations cannot be stored right now; please try again in a moment");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                submitted.decrementAndGet();
                forget(write);
                throw new IllegalStateException("interrupted while queueing a write", e);
            }
        }
    }

    /** True when the conversation is queued for the agent and end-user (not stored yet). */
    boolean pendingConversation(UUID agentId, UUID endUserId, UUID conversationId) {
        PendingConversation pending = pendingConversations.get(conversationId);
        return pending != null && pending.agentId().equals(agentId)
                && (endUserId == null || pending.endUserId().equals(endUserId));
    }

    /** The conversation of the agent's answer when that answer is queued (not stored yet). */
    Optional<UUID> pendingConversationOfAnswer(UUID agentId, UUID messageId) {
        PendingAnswer pending = pendingAnswers.get(messageId);
        return pending != null && pending.agentId().equals(agentId) ? Optional.of(pending.conversationId())
                : Optional.empty();
    }

    @Override
    public void awaitWritten() {
        long target = submitted.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        synchronized (progress) {
            while (written < target && running && System.nanoTime() < deadline) {
                try {
                    progress.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void run() {
        List<Entry> batch = new ArrayList<>(MAX_BATCH);
        while ((running || !queue.isEmpty()) && !abandoned) {
            try {
                Entry first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                if (lingerNanos > 0 && running && queue.size() < MAX_BATCH - 1) {
                    // a short nap, not a wait on the queue (every arrival would wake it), gathers the writes of
                    // a busy node into one transaction: the statements and the commit per batch were most of
                    // PostgreSQL's work per answer when batches held a few answers each
                    LockSupport.parkNanos(lingerNanos);
                }
                queue.drainTo(batch, MAX_BATCH - 1);
                storeWithRetries(batch.stream().map(Entry::write).toList(), 3);
                batch.forEach(entry -> forget(entry.write()));
                synchronized (progress) {
                    written = batch.get(batch.size() - 1).sequence();
                    progress.notifyAll();
                }
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Retries while the database is away, with a growing pause (up to 5 s), for as long as it takes: the queue is
     * bounded, so requests meanwhile get 503 rather than the writes being dropped. A batch that the database refuses
     * on its own data (three times) is stored one write at a time, so that only the culprit is dropped (and logged).
     */
    private void storeWithRetries(List<Write> writes, int refusalsTolerated) throws InterruptedException {
        Duration backoff = Duration.ofMillis(100);
        int refusals = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                store(writes);
                if (attempt > 1) {
                    log.info("Stored {} queued conversation writes after {} attempts", writes.size(), attempt);
                }
                return;
            } catch (RuntimeException e) {
                if (abandoned) {
                    return;
                }
                if (!databaseAway(e) && ++refusals >= refusalsTolerated) {
                    if (writes.size() == 1) {
                        log.error("Dropped a conversation write that the database refuses: {} ({})",
                                writes.get(0).getClass().getSimpleName(), e.toString());
                        return;
                    }
                    for (Write write : writes) {
                        storeWithRetries(List.of(write), 1);
                    }
                    return;
                }
                if (attempt == 1 || attempt % 20 == 0) {
                    log.warn("Storing {} conversation writes failed (attempt {}, {} more queued: {}); retrying",
                            writes.size(), attempt, queue.size(), e.toString());
                }
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5)
                        : backoff.multipliedBy(2);
            }
        }
    }

    /** The database is unreachable or busy (retry), as opposed to refusing this data (isolate the culprit). */
    private static boolean databaseAway(RuntimeException e) {
        return DatabaseOutages.isOutage(e) || e instanceof TransientDataAccessException;
    }

    /**
     * One transaction, in dependency order: conversations, turns, counters, feedback, handoffs, then the analytics
     * events of all of them (in submission order), so a stored answer always has its analytics and vice versa.
     */
    private void store(List<Write> writes) {
        List<ConversationRepository.NewConversation> created = new ArrayList<>();
        List<ConversationRepository.Turn> turns = new ArrayList<>();
        List<Write> others = new ArrayList<>();
        List<InteractionEvent> events = new ArrayList<>(writes.size());
        for (Write write : writes) {
            if (write instanceof Created c) {
                created.add(c.conversation());
                NewConversation n = c.conversation();
                events.add(InteractionEvent.conversationStarted(n.companyId(), n.agentId(), n.endUserId(), n.id(),
                        n.at()));
            } else if (write instanceof Answered a) {
                turns.add(a.turn());
                events.add(analyticsOf(a));
            } else {
                others.add(write);
                if (write instanceof Event e) {
                    events.add(new InteractionEvent(e.id(), e.type(), e.companyId(), e.agentId(), e.endUserId(),
                            e.conversationId(), e.messageId(), e.at(), null, e.score(), e.value()));
                }
            }
        }
        transactions.executeWithoutResult(status -> {
            repository.insertConversations(created);
            created.forEach(c -> endUsers.conversationStarted(c.companyId(), c.endUserId()));
            repository.saveTurns(turns);
            for (Write write : others) {
                if (write instanceof Feedback f) {
                    repository.setFeedback(f.companyId(), f.messageId(), f.value(), f.comment());
                } else if (write instanceof Handoff h) {
                    repository.markHandoff(h.companyId(), h.conversationId());
                }
            }
            analytics.record(events);
        });
    }

    private static InteractionEvent analyticsOf(Answered answered) {
        ConversationRepository.Turn t = answered.turn();
        return InteractionEvent.answered(t.companyId(), t.agentId(), answered.endUserId(), t.conversationId(),
                t.answerId(), t.answeredAt(), new InteractionEvent.Turn(t.userText(), t.retrievalQuery(),
                        t.latencyMs(), t.tokensIn(), t.tokensOut(), t.provider(), t.model(), t.grounded(),
                        t.handoff(), answered.gap(), t.fallback(), t.cancelled()));
    }

    private void remember(Write write) {
        if (write instanceof Created c) {
            pendingConversations.put(c.conversation().id(),
                    new PendingConversation(c.conversation().agentId(), c.conversation().endUserId()));
        } else if (write instanceof Answered a) {
            pendingAnswers.put(a.turn().answerId(), new PendingAnswer(a.turn().agentId(), a.turn().conversationId()));
        }
    }

    private void forget(Write write) {
        if (write instanceof Created c) {
            pendingConversations.remove(c.conversation().id());
        } else if (write instanceof Answered a) {
            pendingAnswers.remove(a.turn().answerId());
        }
    }

    @Override
    public void start() {
        running = true;
        accepting = true;
        thread = new Thread(this::run, "engage-turn-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        // stopped after the web server has drained its requests (see getPhase): write out what is queued
        accepting = false;
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            abandoned = true;
            log.error("{} conversation writes (and the batch being stored) could not be stored before shutdown: the "
                    + "database did not answer for 30 s", queue.size());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Below the web server's graceful shutdown (DEFAULT_PHASE - 1024), so requests finish before the drain. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
