package io.engage.conversation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Transcript shapes for the company API. */
final class Transcripts {

    private Transcripts() {
    }

    record ConversationSummary(UUID id, UUID agentId, UUID endUserId, Instant startedAt, Instant lastMessageAt,
            int messageCount, boolean handoff) {
    }

    /** One stored message; model fields are null on user messages. feedback: "up", "down" or null. */
    record Message(UUID id, String role, String content, List<Citation> citations, Boolean grounded,
            Boolean handoff, Boolean fallback, String provider, String model, Integer tokensIn, Integer tokensOut,
            Integer latencyMs, boolean cancelled, String feedback, Instant createdAt) {
    }

    record Conversation(UUID id, UUID agentId, UUID endUserId, Instant startedAt, Instant lastMessageAt,
            int messageCount, boolean handoff, List<Message> messages) {
    }
}
