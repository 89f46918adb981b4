package io.engage.llm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;

/**
 * Builds LangChain4j streaming clients and keeps them: a client holds an HTTP client (connection pool, threads), so
 * building one per answer would waste both. Bounded, and keyed by everything that shapes the client, with the key
 * only as a hash.
 */
final class ChatModels {

    private final Cache<Endpoint.ClientKey, StreamingChatModel> clients;
    private final Duration httpTimeout;

    /**
     * @param httpTimeout connect and response-headers timeout of the HTTP client; it frees the connection of a server
     *        that never answers even after we stopped waiting for it
     */
    ChatModels(int maxClients, Duration httpTimeout) {
        this.clients = Caffeine.newBuilder().maximumSize(maxClients).expireAfterAccess(Duration.ofHours(1)).build();
        this.httpTimeout = httpTimeout;
    }

    StreamingChatModel modelFor(Endpoint endpoint) {
        return clients.get(endpoint.cacheKey(), key -> build(endpoint));
    }

    private StreamingChatModel build(Endpoint endpoint) {
        Integer maxTokens = endpoint.maxTokens() > 0 ? endpoint.maxTokens() : null;
        return switch (endpoint.provider()) {
            case OPENAI, OPENAI_COMPATIBLE -> OpenAiStreamingChatModel.builder()
                    .baseUrl(endpoint.baseUrl())
                    .apiKey(endpoint.apiKey())
                    .modelName(endpoint.model())
                    .temperature(endpoint.temperature())
                    .maxTokens(maxTokens)
                    .timeout(httpTimeout)
                    .build();
            case GEMINI -> GoogleAiGeminiStreamingChatModel.builder()
                    .baseUrl(endpoint.baseUrl())
                    .apiKey(endpoint.apiKey())
                    .modelName(endpoint.model())
                    .temperature(endpoint.temperature())
                    .maxOutputTokens(maxTokens)
                    .httpClientBuilder(StrictStreamHttpClient.builder(false))
                    .timeout(httpTimeout)
                    .build();
            case OLLAMA -> OllamaStreamingChatModel.builder()
                    .baseUrl(endpoint.baseUrl())
                    .modelName(endpoint.model())
                    .temperature(endpoint.temperature())
                    .numPredict(maxTokens)
                    // the Ollama client ignores a stream that ends without its "done" line
                    .httpClientBuilder(StrictStreamHttpClient.builder(true))
                    .timeout(httpTimeout)
                    .build();
            case EXTRACTIVE -> throw new IllegalArgumentException("the extractive responder is not a chat model");
        };
    }
}
