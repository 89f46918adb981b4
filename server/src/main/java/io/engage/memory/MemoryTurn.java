package io.engage.memory;

import java.time.Instant;
import java.util.UUID;

/**
 * One remembered message: who said it ({@code user} or {@code assistant}), in which conversation, when, and the id
 * of its stored message (null in entries written before ids were remembered), so that a conversation can be shown
 * again before its newest messages have reached the database.
 */
public record MemoryTurn(String role, String text, UUID conversationId, Instant at, UUID messageId) {

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public MemoryTurn(String role, String text, UUID conversationId, Instant at) {
        this(role, text, conversationId, at, null);
    }
}
