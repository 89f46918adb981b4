package io.engage.knowledge;

import java.util.List;
import java.util.UUID;

/** A chunk with its source's title and URL and its embedding: what a retrieval index is built from. */
public record StoredChunk(UUID chunkId, UUID sourceId, String title, String url, List<String> headingPath,
        String text, float[] embedding) {
}
