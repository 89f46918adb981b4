package io.engage.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.engage.knowledge.Embedder;
import io.engage.knowledge.KnowledgeService;
import io.engage.knowledge.StoredChunk;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Cache and rebuild policy: small indexes are always current; large ones are rebuilt in the background. */
class RetrievalServiceTest {

    private final KnowledgeService knowledge = mock(KnowledgeService.class);
    private final Embedder embedder = mock(Embedder.class);
    private final UUID agentId = UUID.randomUUID();
    private final AtomicReference<List<StoredChunk>> chunks = new AtomicReference<>();

    private static StoredChunk chunk(String text) {
        return new StoredChunk(UUID.randomUUID(), UUID.randomUUID(), "Doc", null, List.of(), text,
                new float[] {1, 0});
    }

    @SuppressWarnings("unchecked")
    private RetrievalService service(int syncRebuildLimit) {
        when(embedder.embedQuery(anyString())).thenReturn(new float[] {1, 0});
        doAnswer(invocation -> {
            chunks.get().forEach(invocation.getArgument(1, Consumer.class));
            return null;
        }).when(knowledge).forEachChunk(eq(agentId), any(Consumer.class));
        return new RetrievalService(knowledge, embedder,
                new RetrievalProperties(1_000_000, 50, syncRebuildLimit, "convex", 0.7, 1000));
    }

    @Test
    void smallIndexesAreRebuiltBeforeTheSearchThatFindsThemStale() {
        RetrievalService retrieval = service(20_000);
        chunks.set(List.of(chunk("apples")));
        when(knowledge.version(agentId)).thenReturn(1L);
        assertThat(retrieval.search(agentId, "apples", 5)).extracting(SearchHit::text).containsExactly("apples");
        chunks.set(List.of(chunk("pears")));
        when(knowledge.version(agentId)).thenReturn(2L);
        assertThat(retrieval.search(agentId, "pears", 5)).extracting(SearchHit::text).containsExactly("pears");
    }

    @Test
    void largeIndexesServeThePreviousVersionWhileOneRebuildRuns() throws InterruptedException {
        RetrievalService retrieval = service(0);
        chunks.set(List.of(chunk("apples")));
        when(knowledge.version(agentId)).thenReturn(1L);
        assertThat(retrieval.search(agentId, "apples", 5)).extracting(SearchHit::text).containsExactly("apples");

        chunks.set(List.of(chunk("pears")));
        when(knowledge.version(agentId)).thenReturn(2L);
        // answered at once from version 1; version 2 is built in the background
        assertThat(retrieval.search(agentId, "pears", 5)).extracting(SearchHit::text).containsExactly("apples");
        long deadline = System.currentTimeMillis() + 10_000;
        List<SearchHit> hits = List.of();
        while (System.currentTimeMillis() < deadline) {
            hits = retrieval.search(agentId, "pears", 5);
            if (!hits.isEmpty() && hits.get(0).text().equals("pears")) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(hits).extracting(SearchHit::text).containsExactly("pears");
        retrieval.stop();
    }

    @Test
    void blankQueriesAndEmptyKnowledgeAnswerNothing() {
        RetrievalService retrieval = service(20_000);
        chunks.set(List.of());
        when(knowledge.version(agentId)).thenReturn(0L);
        assertThat(retrieval.search(agentId, "anything", 5)).isEmpty();
        assertThat(retrieval.search(agentId, "  ", 5)).isEmpty();
    }
}
