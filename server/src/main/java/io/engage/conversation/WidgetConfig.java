package io.engage.conversation;

import java.util.List;
import java.util.UUID;

/**
 * {@code GET /agent/config}: what the widget needs to render, nothing private. {@code handoffUrl}: where "Talk to a
 * human" leads (null: no such button); {@code conversationTtlSeconds}: how long after its latest message a visitor's
 * conversation resumes (the memory TTL).
 */
record WidgetConfig(UUID agentId, String name, String greeting, String language, String mode, String title,
        String primaryColor, String position, List<String> suggestedQuestions, boolean identityVerification,
        String launcherIcon, String handoffUrl, long conversationTtlSeconds) {
}
