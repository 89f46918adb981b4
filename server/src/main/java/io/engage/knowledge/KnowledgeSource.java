package io.engage.knowledge;

import java.time.Instant;
import java.util.UUID;

/** A knowledge source as the API shows it. */
public record KnowledgeSource(UUID id, UUID agentId, SourceType type, String title, String externalId, String url,
        String filename, String mediaType, long byteSize, SourceStatus status, String error, int chunkCount,
        Instant createdAt, Instant updatedAt) {
}
