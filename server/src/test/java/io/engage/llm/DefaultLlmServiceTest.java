package io.engage.llm;

import static io.engage.llm.TestFixtures.EXTRACTIVE_ANSWER;
import static io.engage.llm.TestFixtures.NEVER;
import static io.engage.llm.TestFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.engage.agents.LlmProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Provider-independent behaviour of the service. */
class DefaultLlmServiceTest {

    @Test
    void extractiveProviderAnswersWithoutFallback() {
        var sink = new TestFixtures.RecordingSink();

        LlmAnswer answer = TestFixtures.service().generate(request(LlmProvider.EXTRACTIVE, null, null, null), sink,
                NEVER);

        assertThat(answer.text()).isEqualTo(EXTRACTIVE_ANSWER);
        assertThat(sink.text()).isEqualTo(EXTRACTIVE_ANSWER);
        assertThat(answer.provider()).isEqualTo(LlmProvider.EXTRACTIVE);
        assertThat(answer.fallback()).isFalse();
        assertThat(answer.fallbackReason()).isNull();
        assertThat(answer.citedPassages()).containsExactly(1);
    }

    @Test
    void cancelledBeforeTheFirstTokenReturnsEmptyAndCancelled() throws Exception {
        try (var server = new FakeProviderServer((exchange, s) -> s.hang())) {
            var service = TestFixtures.service(TestFixtures.properties(Duration.ofSeconds(5), Duration.ofSeconds(10), 2));
            long start = System.nanoTime();
            long cancelAt = start + Duration.ofMillis(200).toNanos();

            LlmAnswer answer = service.generate(request(LlmProvider.OLLAMA, server.baseUrl(), null, "llama3.2"),
                    TokenSink.NONE, () -> System.nanoTime() > cancelAt);

            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
            assertThat(answer.cancelled()).isTrue();
            assertThat(answer.text()).isEmpty();
            assertThat(answer.fallback()).isFalse();
            // the request was sent before the cancel; on a busy machine the server may record it a little later
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (server.requests().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void openAiCompatibleNeedsABaseUrl() {
        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.OPENAI_COMPATIBLE, " ", null, "m"), TokenSink.NONE, NEVER);

        assertThat(answer.fallbackReason()).isEqualTo("openai-compatible: no base URL configured");
        assertThat(answer.text()).isEqualTo(EXTRACTIVE_ANSWER);
    }

    @Test
    void failureWithNoPassagesFallsBackToAnEmptyAnswer() {
        LlmRequest noKnowledge = new LlmRequest(new LlmSettings(LlmProvider.OPENAI, "gpt-4o-mini", null, null, 0.2, 0),
                "sys", List.of(), "user", "Hello?", List.of());

        LlmAnswer answer = TestFixtures.service().generate(noKnowledge, TokenSink.NONE, NEVER);

        assertThat(answer.fallback()).isTrue();
        assertThat(answer.text()).isEmpty();
        assertThat(answer.citedPassages()).isEmpty();
    }

    @Test
    void chatRequestIsSystemThenHistoryThenUser() {
        var messages = DefaultLlmService.chatRequest(request(LlmProvider.OPENAI, null, "k", "m")).messages();

        assertThat(messages).hasSize(4);
        assertThat(messages.get(0)).isEqualTo(SystemMessage.from("You are Ada, a helpful agent."));
        assertThat(messages.get(1)).isEqualTo(UserMessage.from("Hi"));
        assertThat(messages.get(2)).isEqualTo(AiMessage.from("Hello! How can I help?"));
        assertThat(((UserMessage) messages.get(3)).singleText()).startsWith("Knowledge: ");
    }

    @Test
    void keysNeverAppearInToString() {
        var settings = new LlmSettings(LlmProvider.OPENAI, "m", null, "sk-very-secret", 0.1, 1);
        var endpoint = new Endpoint(LlmProvider.OPENAI, "https://x", "m", "sk-very-secret", 0.1, 1);
        var properties = new LlmProperties("sk-very-secret", "u", "AIza-secret", "u", "u", Duration.ZERO,
                Duration.ZERO, 1, Duration.ZERO, 50f, 10, 5, Duration.ZERO, 1);

        assertThat(settings.toString()).doesNotContain("sk-very-secret");
        assertThat(endpoint.toString()).doesNotContain("sk-very-secret");
        assertThat(endpoint.cacheKey().toString()).doesNotContain("sk-very-secret");
        assertThat(properties.toString()).doesNotContain("sk-very-secret", "AIza-secret");
    }
}
