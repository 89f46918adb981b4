package io.engage.llm;

import io.engage.agents.LlmProvider;

/**
 * Which model to call and how. {@code apiKey} is the decrypted provider key (or null to use the platform default);
 * it never appears in {@link #toString()}.
 */
public record LlmSettings(LlmProvider provider, String model, String baseUrl, String apiKey, double temperature,
        int maxTokens) {

    @Override
    public String toString() {
        return "LlmSettings[provider=" + provider + ", model=" + model + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey == null ? "unset" : "***") + ", temperature=" + temperature + ", maxTokens=" + maxTokens
                + "]";
    }
}
