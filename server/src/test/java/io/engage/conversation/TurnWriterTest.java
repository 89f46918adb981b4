package io.engage.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import io.engage.analytics.Analytics;
import io.engage.endusers.EndUsers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The background writer keeps order, survives a database outage, drains on shutdown, and drops only the writes the
 * database refuses.
 */
class TurnWriterTest {

    private final List<UUID> stored = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    /** Answers the database refuses (a constraint violation), in whichever batch they come. */
    private final Set<UUID> refused = ConcurrentHashMap.newKeySet();
    private final ConversationRepository repository = mock(ConversationRepository.class);

    private TurnWriter writer() {
        doAnswer(invocation -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new DataAccessResourceFailureException("database away");
            }
            List<ConversationRepository.Turn> turns = invocation.getArgument(0);
            if (turns.stream().anyMatch(turn -> refused.contains(turn.answerId()))) {
                throw new DataIntegrityViolationException("violates foreign key constraint");
            }
            turns.forEach(turn -> stored.add(turn.answerId()));
            return null;
        }).when(repository).saveTurns(anyList());
        return writer(Duration.ZERO);
    }

    /** A writer over the mocked repository as it is set up, gathering writes for {@code linger}. */
    private TurnWriter writer(Duration linger) {
        return new TurnWriter(repository, mock(EndUsers.class), mock(Analytics.class), transactions(),
                new ConversationProperties(10, Duration.ofMinutes(1), 1000, linger));
    }

    private static TransactionTemplate transactions() {
        return new TransactionTemplate() {
            @Override
            public <T> T execute(TransactionCallback<T> action) {
                return action.doInTransaction(new SimpleTransactionStatus());
            }
        };
    }

    private static ConversationRepository.Turn turn(UUID answerId) {
        UUID id = UUID.randomUUID();
        return new ConversationRepository.Turn(id, id, id, id, "q", Instant.now(), answerId, "a", "q", List.of(),
                true, false, false, null, "extractive", null, 1, 1, 1, false, Instant.now());
    }

    @Test
    void storesInOrderAndRetriesWhileTheDatabaseIsAway() {
        TurnWriter writer = writer();
        writer.start();
        failuresLeft.set(3);
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        ids.forEach(id -> writer.submit(new TurnWriter.Answered(turn(id), UUID.randomUUID(), false)));
        writer.awaitWritten();
        assertThat(stored).containsExactlyElementsOf(ids);
        writer.stop();
    }

    @Test
    void writesArrivingWithinTheLingerAreStoredInOneTransaction() throws InterruptedException {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        doAnswer(invocation -> {
            List<ConversationRepository.Turn> turns = invocation.getArgument(0);
            batches.add(turns.size());
            turns.forEach(turn -> stored.add(turn.answerId()));
            return null;
        }).when(repository).saveTurns(anyList());
        TurnWriter writer = writer(Duration.ofMillis(500));
        writer.start();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(UUID.randomUUID());
            writer.submit(new TurnWriter.Answered(turn(ids.get(i)), UUID.randomUUID(), false));
            Thread.sleep(10); // a trickle: without the linger each would wake the writer and be stored alone
        }
        writer.awaitWritten();
        writer.stop();

        assertThat(stored).containsExactlyElementsOf(ids);
        assertThat(batches).containsExactly(10);
    }

    @Test
    void queuedWritesAreVisibleAsPendingAndDrainedOnStop() {
        TurnWriter writer = writer();
        writer.start();
        failuresLeft.set(2);
        ConversationRepository.Turn queued = turn(UUID.randomUUID());
        writer.submit(new TurnWriter.Answered(queued, UUID.randomUUID(), false));
        assertThat(writer.pendingConversationOfAnswer(queued.agentId(), queued.answerId())).contains(queued.conversationId());
        assertThat(writer.pendingConversationOfAnswer(UUID.randomUUID(), queued.answerId())).as("other agent").isEmpty();
        writer.stop();
        assertThat(stored).containsExactly(queued.answerId());
        assertThat(writer.pendingConversationOfAnswer(queued.agentId(), queued.answerId())).isEmpty();

        // after stop, writes are stored synchronously rather than lost
        UUID late = UUID.randomUUID();
        writer.submit(new TurnWriter.Answered(turn(late), UUID.randomUUID(), false));
        assertThat(stored).endsWith(late);
    }

    @Test
    void aLoneWriteTheDatabaseRefusesIsDroppedAndTheWritesBehindItAreStored() throws InterruptedException {
        TurnWriter writer = writer();
        writer.start();
        UUID doomed = UUID.randomUUID();
        refused.add(doomed);
        writer.submit(new TurnWriter.Answered(turn(doomed), UUID.randomUUID(), false));
        Thread.sleep(50); // a batch of its own, as at low traffic (it used to be retried forever, blocking the queue)
        UUID next = UUID.randomUUID();
        writer.submit(new TurnWriter.Answered(turn(next), UUID.randomUUID(), false));
        writer.awaitWritten();
        assertThat(stored).containsExactly(next);
        writer.stop();
    }

    @Test
    void aRefusedBatchIsStoredOneByOneAndTheRestSurvivesAnOutageOnTheWay() throws InterruptedException {
        UUID blocker = UUID.randomUUID();
        CountDownLatch storing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger outagesLeft = new AtomicInteger(2);
        doAnswer(invocation -> {
            List<ConversationRepository.Turn> turns = invocation.getArgument(0);
            if (turns.get(0).answerId().equals(blocker)) {
                storing.countDown();
                release.await(); // keeps the writer busy while the next three queue up behind it
            } else if (turns.stream().anyMatch(turn -> refused.contains(turn.answerId()))) {
                throw new DataIntegrityViolationException("violates foreign key constraint");
            } else if (turns.size() == 1 && outagesLeft.getAndDecrement() > 0) {
                throw new DataAccessResourceFailureException("database away");
            }
            turns.forEach(turn -> stored.add(turn.answerId()));
            return null;
        }).when(repository).saveTurns(anyList());
        TurnWriter writer = writer(Duration.ZERO);
        writer.start();
        writer.submit(new TurnWriter.Answered(turn(blocker), UUID.randomUUID(), false));
        storing.await();
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        refused.add(ids.get(1));
        ids.forEach(id -> writer.submit(new TurnWriter.Answered(turn(id), UUID.randomUUID(), false)));
        release.countDown();
        // the batch of three is refused, then stored one by one; the first of those meets the database away (it
        // used to be dropped then, as if the database had refused it)
        writer.awaitWritten();
        assertThat(stored).containsExactly(blocker, ids.get(0), ids.get(2));
        writer.stop();
    }
}
