package io.engage.conversation;

import java.util.UUID;

/**
 * Body of {@code POST /agent/query}. {@code name}/{@code email} are optional profile fields a site may pass for an
 * identified visitor (stored on the end-user). {@code newConversation}: true starts a new conversation even when the
 * visitor's last one would be continued (the widget's "New conversation" button); ignored with a
 * {@code conversationId}. Validated in {@link AgentRuntime} so that every rule reports a problem+json naming the
 * field.
 */
record QueryRequest(String endUserId, String message, UUID conversationId, String userHash, String name,
        String email, Boolean newConversation) {
}
