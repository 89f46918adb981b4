package io.engage.agents;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An agent as the API shows it. Secrets are write-only: reads only say whether they are set
 * ({@code llm.apiKeySet}, {@code identityVerification.secretSet}).
 */
public record Agent(
        UUID id,
        UUID companyId,
        String name,
        String description,
        String systemPrompt,
        String greeting,
        Tone tone,
        String language,
        String fallbackMessage,
        List<String> allowedTopics,
        String handoffMessage,
        AgentStatus status,
        Llm llm,
        Retrieval retrieval,
        Widget widget,
        IdentityVerification identityVerification,
        Limits limits,
        Instant createdAt,
        Instant updatedAt,
        /** When a platform admin disabled the agent (it answers nowhere then), else null. */
        Instant disabledAt) {

    public record Llm(LlmProvider provider, String model, String baseUrl, boolean apiKeySet, double temperature,
            int maxTokens) {
    }

    public record Retrieval(int topK, double minScore) {
    }

    /** handoffUrl: where the widget's "Talk to a human" button leads (http(s) or mailto), null for none. */
    public record Widget(WidgetMode mode, String title, String primaryColor, WidgetPosition position,
            List<String> suggestedQuestions, List<String> allowedOrigins, LauncherIcon launcherIcon,
            String handoffUrl) {
    }

    public record IdentityVerification(boolean enabled, boolean secretSet) {
    }

    public record Limits(int requestsPerMinute, int perEndUserPerMinute) {
    }
}
