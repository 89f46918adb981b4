package io.engage.conversation;

import java.util.List;
import java.util.UUID;

/** Answer of {@code POST /agent/query} (and the payload of the SSE {@code done} event). */
record QueryAnswer(UUID conversationId, UUID messageId, String answer, List<Citation> citations, boolean grounded,
        boolean handoff) {
}
