package io.engage.endusers;

import java.time.Instant;
import java.util.UUID;

/** An end-user of one agent. */
public record EndUser(UUID id, UUID agentId, String externalId, String name, String email, boolean blocked,
        Instant firstSeenAt, Instant lastSeenAt, long conversationCount) {
}
