package io.engage.retrieval;

import java.util.List;
import java.util.UUID;

/**
 * One retrieved passage. {@code score} is the fused rank score (higher is better, comparable within one result list);
 * {@code similarity} is the cosine similarity of the passage to the query (clamped to 0..1, comparable across
 * queries: what grounding thresholds use); {@code bm25} is the keyword score (0 when keywords did not match).
 */
public record SearchHit(UUID chunkId, UUID sourceId, String title, String url, List<String> headingPath, String text,
        double score, double similarity, double bm25) {
}
