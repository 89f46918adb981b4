package io.engage.agents;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An agent as stored: like {@link Agent} but with its sealed secrets (AES-GCM, see crypto). */
record AgentRow(
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
        LlmProvider llmProvider,
        String llmModel,
        String llmBaseUrl,
        String llmApiKeySealed,
        double llmTemperature,
        int llmMaxTokens,
        int retrievalTopK,
        double retrievalMinScore,
        WidgetMode widgetMode,
        String widgetTitle,
        String widgetPrimaryColor,
        WidgetPosition widgetPosition,
        List<String> suggestedQuestions,
        List<String> allowedOrigins,
        LauncherIcon launcherIcon,
        String handoffUrl,
        boolean identityEnabled,
        String identitySecretSealed,
        int requestsPerMinute,
        int perEndUserPerMinute,
        Instant createdAt,
        Instant updatedAt,
        Instant disabledAt) {

    Agent toAgent() {
        return new Agent(id, companyId, name, description, systemPrompt, greeting, tone, language, fallbackMessage,
                allowedTopics, handoffMessage, status,
                new Agent.Llm(llmProvider, llmModel, llmBaseUrl, llmApiKeySealed != null, llmTemperature, llmMaxTokens),
                new Agent.Retrieval(retrievalTopK, retrievalMinScore),
                new Agent.Widget(widgetMode, widgetTitle, widgetPrimaryColor, widgetPosition, suggestedQuestions,
                        allowedOrigins, launcherIcon, handoffUrl),
                new Agent.IdentityVerification(identityEnabled, identitySecretSealed != null),
                new Agent.Limits(requestsPerMinute, perEndUserPerMinute),
                createdAt, updatedAt, disabledAt);
    }
}
