package io.engage.conversation;

import java.util.UUID;

/**
 * Body of {@code POST /agent/events}: a widget event. {@code value} carries the event's datum (feedback "up" or
 * "down", the clicked URL, ...); {@code comment} is free text that goes with feedback.
 */
record AgentEventRequest(String type, UUID conversationId, UUID messageId, String value, String comment,
        String endUserId) {
}
