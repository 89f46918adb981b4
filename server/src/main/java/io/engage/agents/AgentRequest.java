package io.engage.agents;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of create and update. Every field is optional: on create an absent field takes its default, on update it
 * keeps its current value. Secrets ({@code llm.apiKey}, {@code identityVerification.secret}) are write-only: absent
 * keeps them, an empty string clears them.
 */
public record AgentRequest(
        @Size(max = 100) String name,
        @Size(max = 1000) String description,
        @Size(max = 8000) String systemPrompt,
        @Size(max = 500) String greeting,
        Tone tone,
        @Pattern(regexp = "auto|[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}", message = "must be 'auto' or a language tag such as 'en' or 'pt-BR'")
        String language,
        @Size(max = 1000) String fallbackMessage,
        @Size(max = 20) List<@NotBlank @Size(max = 100) String> allowedTopics,
        @Size(max = 1000) String handoffMessage,
        AgentStatus status,
        @Valid LlmRequest llm,
        @Valid RetrievalRequest retrieval,
        @Valid WidgetRequest widget,
        @Valid IdentityRequest identityVerification,
        @Valid LimitsRequest limits) {

    public record LlmRequest(
            LlmProvider provider,
            @Size(max = 200) String model,
            @Size(max = 2000) String baseUrl,
            @Size(max = 1000) String apiKey,
            @DecimalMin("0.0") @DecimalMax("2.0") Double temperature,
            @Min(1) @Max(32000) Integer maxTokens) {
    }

    public record RetrievalRequest(@Min(1) @Max(50) Integer topK, @DecimalMin("0.0") @DecimalMax("1.0") Double minScore) {
    }

    public record WidgetRequest(
            WidgetMode mode,
            @Size(max = 100) String title,
            @Pattern(regexp = "#[0-9a-fA-F]{6}", message = "must be a colour like #2563eb") String primaryColor,
            WidgetPosition position,
            @Size(max = 10) List<@NotBlank @Size(max = 200) String> suggestedQuestions,
            @Size(max = 50) List<@NotBlank @Size(max = 300) String> allowedOrigins,
            LauncherIcon launcherIcon,
            /* absolute http(s) or mailto URL; "" clears it (no "Talk to a human" button) */
            @Size(max = 500) String handoffUrl) {
    }

    public record IdentityRequest(Boolean enabled, @Size(max = 500) String secret) {
    }

    public record LimitsRequest(@Min(1) @Max(100000) Integer requestsPerMinute, @Min(1) @Max(10000) Integer perEndUserPerMinute) {
    }
}
