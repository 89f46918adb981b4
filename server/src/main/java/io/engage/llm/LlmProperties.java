package io.engage.llm;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Platform-wide LLM settings ({@code engage.llm.*}). The keys and base URLs are defaults for agents that configure
 * none of their own; blank keys also fall back to the conventional environment variables ({@code OPENAI_API_KEY},
 * {@code GEMINI_API_KEY}, {@code OLLAMA_BASE_URL}) so a plain {@code docker run -e OPENAI_API_KEY=...} works.
 *
 * @param firstTokenTimeout how long a provider may take to produce its first token before we give up on it
 * @param totalTimeout how long one whole answer may take
 * @param maxAttempts attempts per answer (1 = no retry); retries happen only before the first token
 * @param retryBackoff wait before the first retry, doubled for each further one
 * @param failureRateThreshold percentage of failed calls (over {@code slidingWindowCalls}) that opens a circuit
 * @param minimumCalls calls a circuit needs before its failure rate counts
 * @param openCircuitWait how long an open circuit rejects calls before letting a trial through
 * @param maxCachedClients provider clients kept built (one per provider, endpoint, model, parameters and key)
 */
@ConfigurationProperties(prefix = "engage.llm")
record LlmProperties(
        @DefaultValue("") String openaiApiKey,
        @DefaultValue("https://api.openai.com/v1") String openaiBaseUrl,
        @DefaultValue("") String geminiApiKey,
        @DefaultValue("https://generativelanguage.googleapis.com/v1beta") String geminiBaseUrl,
        @DefaultValue("") String ollamaBaseUrl,
        @DefaultValue("20s") Duration firstTokenTimeout,
        @DefaultValue("120s") Duration totalTimeout,
        @DefaultValue("2") int maxAttempts,
        @DefaultValue("300ms") Duration retryBackoff,
        @DefaultValue("50") float failureRateThreshold,
        @DefaultValue("10") int slidingWindowCalls,
        @DefaultValue("5") int minimumCalls,
        @DefaultValue("30s") Duration openCircuitWait,
        @DefaultValue("256") int maxCachedClients) {

    static final String DEFAULT_OLLAMA_BASE_URL = "http://localhost:11434";

    /** Fills blank keys and the Ollama URL from the environment variables every provider's docs tell users to set. */
    LlmProperties withEnvironmentDefaults(UnaryOperator<String> environment) {
        return new LlmProperties(firstNonBlank(openaiApiKey, environment.apply("OPENAI_API_KEY"), ""), openaiBaseUrl,
                firstNonBlank(geminiApiKey, environment.apply("GEMINI_API_KEY"), ""), geminiBaseUrl,
                firstNonBlank(ollamaBaseUrl, environment.apply("OLLAMA_BASE_URL"), DEFAULT_OLLAMA_BASE_URL),
                firstTokenTimeout, totalTimeout, Math.max(1, maxAttempts), retryBackoff, failureRateThreshold,
                slidingWindowCalls, minimumCalls, openCircuitWait, maxCachedClients);
    }

    private static String firstNonBlank(String first, String second, String otherwise) {
        if (first != null && !first.isBlank()) {
            return first.strip();
        }
        return second != null && !second.isBlank() ? second.strip() : otherwise;
    }

    /** Never prints the keys. */
    @Override
    public String toString() {
        return "LlmProperties[openaiApiKey=" + (openaiApiKey == null || openaiApiKey.isBlank() ? "unset" : "***")
                + ", openaiBaseUrl=" + openaiBaseUrl + ", geminiApiKey="
                + (geminiApiKey == null || geminiApiKey.isBlank() ? "unset" : "***") + ", geminiBaseUrl="
                + geminiBaseUrl + ", ollamaBaseUrl=" + ollamaBaseUrl + ", firstTokenTimeout=" + firstTokenTimeout
                + ", totalTimeout=" + totalTimeout + ", maxAttempts=" + maxAttempts + ", retryBackoff=" + retryBackoff
                + ", failureRateThreshold=" + failureRateThreshold + ", slidingWindowCalls=" + slidingWindowCalls
                + ", minimumCalls=" + minimumCalls + ", openCircuitWait=" + openCircuitWait + ", maxCachedClients="
                + maxCachedClients + "]";
    }
}
