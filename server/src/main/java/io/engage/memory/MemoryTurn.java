package io.engage.memory;

import java.time.Instant;
import java.util.UUID;

/** One remembered message: who said it ({@code user} or {@code assistant}), in which conversation, when. */
public record MemoryTurn(String role, String text, UUID conversationId, Instant at) {

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
}
