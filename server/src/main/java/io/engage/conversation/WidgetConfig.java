package io.engage.conversation;

import java.util.List;
import java.util.UUID;

/** {@code GET /agent/config}: what the widget needs to render, nothing private. */
record WidgetConfig(UUID agentId, String name, String greeting, String language, String mode, String title,
        String primaryColor, String position, List<String> suggestedQuestions, boolean identityVerification) {
}
