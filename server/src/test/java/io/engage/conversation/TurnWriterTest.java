package io.engage.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import io.engage.analytics.Analytics;
import io.engage.endusers.EndUsers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/** The background writer keeps order, survives a database outage, and drains on shutdown. */
class TurnWriterTest {

    private final List<UUID> stored = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final ConversationRepository repository = mock(ConversationRepository.class);

    private TurnWriter writer() {
        doAnswer(invocation -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new DataAccessResourceFailureException("database away");
            }
            List<ConversationRepository.Turn> turns = invocation.getArgument(0);
            turns.forEach(turn -> stored.add(turn.answerId()));
            return null;
        }).when(repository).saveTurns(anyList());
        TransactionTemplate transactions = new TransactionTemplate() {
            @Override
            public <T> T execute(TransactionCallback<T> action) {
                return action.doInTransaction(new SimpleTransactionStatus());
            }
        };
        return new TurnWriter(repository, mock(EndUsers.class), mock(Analytics.class), transactions,
                new ConversationProperties(10, Duration.ofMinutes(1), 1000));
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
}
