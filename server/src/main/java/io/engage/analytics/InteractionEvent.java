package io.engage.analytics;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of the analytics event log. {@code turn} is set for answered turns, {@code score} (+1/-1) for feedback
 * votes; widget events may carry a short {@code value}.
 */
public record InteractionEvent(UUID id, String type, UUID companyId, UUID agentId, UUID endUserId,
        UUID conversationId, UUID messageId, Instant at, Turn turn, Integer score, String value) {

    public static final String CONVERSATION_START = "conversation_start";
    public static final String TURN = "turn";
    public static final String FEEDBACK = "feedback";

    /**
     * How a question was answered. {@code gap}: the agent found no knowledge for it (grounding guard or an empty
     * model answer), as opposed to an explicit request for a person. {@code retrievalQuery} is the text the
     * knowledge was searched with (follow-ups rewritten), which gaps are clustered by.
     */
    public record Turn(String question, String retrievalQuery, int latencyMs, int tokensIn, int tokensOut,
            String provider, String model, boolean grounded, boolean handoff, boolean gap, boolean fallback,
            boolean cancelled) {
    }

    public static InteractionEvent conversationStarted(UUID companyId, UUID agentId, UUID endUserId,
            UUID conversationId, Instant at) {
        return new InteractionEvent(conversationId, CONVERSATION_START, companyId, agentId, endUserId,
                conversationId, null, at, null, null, null);
    }

    public static InteractionEvent answered(UUID companyId, UUID agentId, UUID endUserId, UUID conversationId,
            UUID answerId, Instant at, Turn turn) {
        return new InteractionEvent(answerId, TURN, companyId, agentId, endUserId, conversationId, answerId, at, turn,
                null, null);
    }
}
