package io.engage.knowledge;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

/** The worker keeps its slots when the database goes away in the middle of claiming jobs. */
class IngestionWorkerTest {

    @Test
    void aClaimThatFailsHalfWayKeepsWhatWasClaimedAndTheWorkerSlot() {
        KnowledgeRepository repository = mock(KnowledgeRepository.class);
        UUID first = UUID.randomUUID();
        UUID lost = UUID.randomUUID();
        UUID later = UUID.randomUUID();
        when(repository.queuedIds(anyInt())).thenReturn(List.of(first, lost), List.of(later), List.of());
        when(repository.claim(eq(first), anyString(), any())).thenReturn(true);
        when(repository.claim(eq(lost), anyString(), any()))
                .thenThrow(new CannotGetJdbcConnectionException("database away"));
        when(repository.claim(eq(later), anyString(), any())).thenReturn(true);
        when(repository.loadJob(any())).thenReturn(Optional.empty()); // deleted meanwhile: nothing to ingest
        // one worker: a slot lost to the failed claim would stop this node from ingesting anything ever again
        IngestionWorker worker = new IngestionWorker(repository, mock(Ingestion.class), mock(TransactionTemplate.class),
                new KnowledgeProperties(DataSize.ofMegabytes(20), 1, Duration.ofSeconds(60), 3, Duration.ofSeconds(15),
                        DataSize.ofMegabytes(5), false, 32, Embedder.QUANTIZED, Duration.ofSeconds(1)), "");
        worker.start();
        try {
            worker.signal();
            verify(repository, timeout(5000)).loadJob(first);
            worker.signal();
            verify(repository, timeout(5000)).loadJob(later);
        } finally {
            worker.stop();
        }
    }
}
