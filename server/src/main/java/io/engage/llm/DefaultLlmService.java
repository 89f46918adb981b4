package io.engage.llm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.engage.agents.LlmProvider;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;

/**
 * Answers with the agent's provider, guarded so an end-user always gets a reply:
 * <ul>
 * <li>a provider that needs a key and has none, fails before its first token (HTTP error, timeout, refused
 * connection, malformed or empty stream) or whose circuit is open is replaced by the {@link ExtractiveResponder}:
 * {@code fallback=true} with a short, secret-free {@code fallbackReason} ("openai: HTTP 500");</li>
 * <li>failures before the first token are retried with exponential backoff; once text has reached the sink nothing
 * is retried, since that would stream the text twice;</li>
 * <li>a stream that breaks <em>after</em> text was sent keeps that partial text and says why in {@code fallbackReason}
 * ("openai: stream interrupted") but with {@code fallback=false}: the provider did answer, and appending an
 * extractive answer to half a sentence would read worse than the half sentence;</li>
 * <li>one circuit breaker per endpoint (provider + base URL) stops hammering a server that keeps failing.</li>
 * </ul>
 * Platform keys ({@code OPENAI_API_KEY}, {@code GEMINI_API_KEY}) are only ever sent to the platform's own base URL
 * for that provider, never to a URL an agent configured, and never to OpenAI-compatible servers.
 */
@Service
class DefaultLlmService implements LlmService {

    private static final Logger log = LoggerFactory.getLogger(DefaultLlmService.class);

    /** How often the caller thread wakes to check cancellation while the provider is silent. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    private static final String DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
    private static final String DEFAULT_GEMINI_MODEL = "gemini-2.5-flash";
    private static final String DEFAULT_OLLAMA_MODEL = "llama3.2";

    private final LlmProperties properties;
    private final ExtractiveResponder extractive;
    private final ChatModels chatModels;
    private final Retry retry;
    private final CircuitBreakerConfig circuitConfig;
    private final Cache<String, CircuitBreaker> circuits;

    @Autowired
    DefaultLlmService(LlmProperties properties, Environment environment, ExtractiveResponder extractive) {
        this(properties.withEnvironmentDefaults(environment::getProperty), extractive);
    }

    DefaultLlmService(LlmProperties properties, ExtractiveResponder extractive) {
        this.properties = properties;
        this.extractive = extractive;
        this.chatModels = new ChatModels(properties.maxCachedClients(), properties.firstTokenTimeout());
        this.retry = Retry.of("llm", RetryConfig.<Object>custom()
                .maxAttempts(properties.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(properties.retryBackoff(), 2.0))
                .retryOnException(error -> error instanceof ProviderFailure failure && failure.retryable())
                .build());
        this.circuitConfig = CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.failureRateThreshold())
                .slidingWindow(properties.slidingWindowCalls(), properties.minimumCalls(),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .waitDurationInOpenState(properties.openCircuitWait())
                .recordException(error -> error instanceof ProviderFailure)
                .ignoreException(error -> error instanceof ProviderFailure failure && !failure.endpointFault())
                .recordResult(result -> result instanceof Outcome outcome && outcome.interruptedReason() != null)
                .build();
        // bounded: OpenAI-compatible agents can name any number of base URLs
        this.circuits = Caffeine.newBuilder().maximumSize(1024).expireAfterAccess(Duration.ofHours(6)).build();
    }

    /** What one streaming attempt produced. {@code interruptedReason} is set when the stream broke after text. */
    record Outcome(String text, TokenUsage usage, String interruptedReason, boolean cancelled) {
    }

    @Override
    public LlmAnswer generate(LlmRequest request, TokenSink sink, BooleanSupplier cancelled) {
        LlmProvider provider = request.settings() == null || request.settings().provider() == null
                ? LlmProvider.EXTRACTIVE : request.settings().provider();
        if (provider == LlmProvider.EXTRACTIVE) {
            return extractive.answer(request, sink, cancelled, null);
        }
        Endpoint endpoint;
        try {
            endpoint = resolve(provider, request.settings());
        } catch (ProviderFailure missingConfiguration) {
            return fallback(request, sink, cancelled, provider, modelOf(request), missingConfiguration.reason());
        }
        CircuitBreaker circuit = circuits.get(endpoint.circuitName(), name -> CircuitBreaker.of(name, circuitConfig));
        ChatRequest chatRequest = chatRequest(request);
        long deadline = System.nanoTime() + properties.totalTimeout().toNanos();
        Outcome outcome;
        try {
            outcome = Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(circuit,
                    () -> stream(endpoint, chatRequest, sink, cancelled, deadline))).get();
        } catch (CallNotPermittedException open) {
            return fallback(request, sink, cancelled, provider, endpoint.model(), "circuit open");
        } catch (ProviderFailure failure) {
            return fallback(request, sink, cancelled, provider, endpoint.model(), failure.reason());
        }
        String reason = null;
        if (outcome.interruptedReason() != null) {
            reason = endpoint.label() + ": " + outcome.interruptedReason();
            log.warn("LLM stream broke after partial text: provider={} model={} reason={}", endpoint.label(),
                    endpoint.model(), reason);
        }
        TokenUsage usage = outcome.usage();
        int tokensIn = usage != null && usage.inputTokenCount() != null ? usage.inputTokenCount()
                : TokenEstimate.ofPrompt(request);
        int tokensOut = usage != null && usage.outputTokenCount() != null ? usage.outputTokenCount()
                : TokenEstimate.of(outcome.text());
        return new LlmAnswer(outcome.text(), provider, endpoint.model(), tokensIn, tokensOut,
                Citations.parse(outcome.text(), request.passages() == null ? 0 : request.passages().size()), false,
                reason, outcome.cancelled());
    }

    /**
     * One attempt, run on the caller's thread: start the stream, then pass its tokens to the sink until it completes,
     * fails, times out or is cancelled. Throws {@link ProviderFailure} only while nothing was sent to the sink.
     */
    private Outcome stream(Endpoint endpoint, ChatRequest chatRequest, TokenSink sink, BooleanSupplier cancelled,
            long deadline) {
        if (cancelled.getAsBoolean()) {
            return new Outcome("", null, null, true);
        }
        StreamingAttempt attempt = new StreamingAttempt();
        StreamingChatModel model = chatModels.modelFor(endpoint);
        try {
            model.chat(chatRequest, attempt);
        } catch (RuntimeException startFailure) {
            throw ProviderFailure.of(startFailure);
        }
        long firstTokenDeadline = System.nanoTime() + properties.firstTokenTimeout().toNanos();
        StringBuilder text = new StringBuilder();
        boolean finished = false;
        try {
            while (true) {
                if (cancelled.getAsBoolean()) {
                    return new Outcome(text.toString(), null, null, true);
                }
                boolean started = !text.isEmpty();
                long now = System.nanoTime();
                long limit = started ? deadline : Math.min(deadline, firstTokenDeadline);
                if (now - limit >= 0) {
                    if (!started) {
                        throw ProviderFailure.timeout();
                    }
                    return new Outcome(text.toString(), null, "stream timed out", false);
                }
                StreamingAttempt.Event event = attempt.next(Math.min(limit - now, POLL_NANOS));
                if (event instanceof StreamingAttempt.Token token) {
                    if (token.text() != null && !token.text().isEmpty()) {
                        sink.onToken(token.text());
                        text.append(token.text());
                    }
                } else if (event instanceof StreamingAttempt.Completed completed) {
                    finished = true;
                    return completedOutcome(completed.response(), text, sink);
                } else if (event instanceof StreamingAttempt.Failed failed) {
                    finished = true;
                    if (text.isEmpty()) {
                        throw ProviderFailure.of(failed.error());
                    }
                    return new Outcome(text.toString(), null, "stream interrupted", false);
                }
            }
        } catch (InterruptedException interrupted) {
            // the caller's thread is being shut down: treat like a cancellation
            Thread.currentThread().interrupt();
            return new Outcome(text.toString(), null, null, true);
        } finally {
            if (!finished) {
                attempt.abandon();
            }
        }
    }

    private static Outcome completedOutcome(ChatResponse response, StringBuilder streamed, TokenSink sink) {
        if (streamed.isEmpty()) {
            // a client that delivered the whole answer at completion rather than as partial responses
            AiMessage message = response == null ? null : response.aiMessage();
            String whole = message == null ? null : message.text();
            if (whole == null || whole.isBlank()) {
                throw ProviderFailure.emptyResponse();
            }
            sink.onToken(whole);
            streamed.append(whole);
        }
        return new Outcome(streamed.toString(), response == null ? null : response.tokenUsage(), null, false);
    }

    private LlmAnswer fallback(LlmRequest request, TokenSink sink, BooleanSupplier cancelled, LlmProvider provider,
            String model, String reason) {
        String fallbackReason = Endpoint.label(provider) + ": " + reason;
        log.warn("LLM provider failed, answering extractively: provider={} model={} reason={}",
                Endpoint.label(provider), model, fallbackReason);
        return extractive.answer(request, sink, cancelled, fallbackReason);
    }

    /** Fills in the platform defaults and checks that the provider can be called at all. */
    private Endpoint resolve(LlmProvider provider, LlmSettings settings) {
        String agentBaseUrl = blankToNull(settings.baseUrl());
        String agentKey = blankToNull(settings.apiKey());
        String model = blankToNull(settings.model());
        return switch (provider) {
            case OPENAI -> hosted(provider, agentBaseUrl, properties.openaiBaseUrl(), agentKey,
                    properties.openaiApiKey(), model == null ? DEFAULT_OPENAI_MODEL : model, settings);
            case GEMINI -> hosted(provider, agentBaseUrl, properties.geminiBaseUrl(), agentKey,
                    properties.geminiApiKey(), model == null ? DEFAULT_GEMINI_MODEL : model, settings);
            case OPENAI_COMPATIBLE -> {
                if (agentBaseUrl == null) {
                    throw new ProviderFailure("no base URL configured", false, false);
                }
                if (model == null) {
                    throw new ProviderFailure("no model configured", false, false);
                }
                yield new Endpoint(provider, trimSlash(agentBaseUrl), model, agentKey, settings.temperature(),
                        settings.maxTokens());
            }
            case OLLAMA -> new Endpoint(provider,
                    trimSlash(agentBaseUrl != null ? agentBaseUrl : properties.ollamaBaseUrl()),
                    model == null ? DEFAULT_OLLAMA_MODEL : model, null, settings.temperature(), settings.maxTokens());
            case EXTRACTIVE -> throw new IllegalArgumentException("not a chat provider");
        };
    }

    /** The platform key goes only to the platform's own endpoint, never to a base URL an agent chose. */
    private static Endpoint hosted(LlmProvider provider, String agentBaseUrl, String platformBaseUrl, String agentKey,
            String platformKey, String model, LlmSettings settings) {
        String baseUrl = trimSlash(agentBaseUrl != null ? agentBaseUrl : platformBaseUrl);
        String key = agentKey;
        if (key == null && baseUrl.equals(trimSlash(platformBaseUrl))) {
            key = blankToNull(platformKey);
        }
        if (key == null) {
            throw new ProviderFailure("no API key configured", false, false);
        }
        return new Endpoint(provider, baseUrl, model, key, settings.temperature(), settings.maxTokens());
    }

    /** System prompt, then the history, then the user message. */
    static ChatRequest chatRequest(LlmRequest request) {
        List<ChatMessage> messages = new ArrayList<>();
        if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
            messages.add(SystemMessage.from(request.systemPrompt()));
        }
        if (request.history() != null) {
            for (ChatTurn turn : request.history()) {
                if (turn.text() == null || turn.text().isBlank()) {
                    continue;
                }
                messages.add(turn.speaker() == ChatTurn.Speaker.ASSISTANT ? AiMessage.from(turn.text())
                        : UserMessage.from(turn.text()));
            }
        }
        messages.add(UserMessage.from(request.userMessage() == null || request.userMessage().isBlank()
                ? String.valueOf(request.question()) : request.userMessage()));
        return ChatRequest.builder().messages(messages).build();
    }

    private static String modelOf(LlmRequest request) {
        return request.settings() == null ? null : request.settings().model();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
