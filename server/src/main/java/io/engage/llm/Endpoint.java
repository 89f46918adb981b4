package io.engage.llm;

import io.engage.agents.LlmProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One resolved chat model to call: the agent's settings with the platform defaults filled in. {@code apiKey} may be
 * null (Ollama, keyless OpenAI-compatible servers) and never appears in {@link #toString()} or in {@link #cacheKey()}.
 */
record Endpoint(LlmProvider provider, String baseUrl, String model, String apiKey, double temperature,
        int maxTokens) {

    /** Identifies a built client without holding the key itself. */
    record ClientKey(LlmProvider provider, String baseUrl, String model, double temperature, int maxTokens,
            String apiKeySha256) {
    }

    ClientKey cacheKey() {
        return new ClientKey(provider, baseUrl, model, temperature, maxTokens, sha256(apiKey));
    }

    /** Circuit breakers are per endpoint: one failing server must not stop calls to another. */
    String circuitName() {
        return label(provider) + " " + baseUrl;
    }

    String label() {
        return label(provider);
    }

    /** The short provider name used in fallback reasons and logs. */
    static String label(LlmProvider provider) {
        return switch (provider) {
            case EXTRACTIVE -> "extractive";
            case OPENAI -> "openai";
            case OPENAI_COMPATIBLE -> "openai-compatible";
            case GEMINI -> "gemini";
            case OLLAMA -> "ollama";
        };
    }

    @Override
    public String toString() {
        return "Endpoint[provider=" + provider + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey == null ? "unset" : "***") + ", temperature=" + temperature + ", maxTokens=" + maxTokens
                + "]";
    }

    private static String sha256(String value) {
        if (value == null) {
            return "";
        }
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
