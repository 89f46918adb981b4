package io.engage.llm;

import static io.engage.llm.TestFixtures.EXTRACTIVE_ANSWER;
import static io.engage.llm.TestFixtures.NEVER;
import static io.engage.llm.TestFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.agents.LlmProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ollama /api/chat (NDJSON stream), against a local server speaking its wire format. */
class OllamaProviderTest {

    private static final String MODEL = "llama3.2";

    private FakeProviderServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String line(String content) {
        return "{\"model\":\"" + MODEL + "\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
                + "\"content\":" + FakeProviderServerJson.quote(content) + "},\"done\":false}\n";
    }

    static List<String> answer(String... pieces) {
        List<String> lines = new ArrayList<>();
        for (String piece : pieces) {
            lines.add(line(piece));
        }
        lines.add("{\"model\":\"" + MODEL + "\",\"created_at\":\"2025-01-01T00:00:01Z\",\"message\":{\"role\":\"assistant\","
                + "\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"total_duration\":1000,"
                + "\"prompt_eval_count\":26,\"eval_count\":" + pieces.length + "}\n");
        return lines;
    }

    @Test
    void streamsTokensAndSendsMessagesAndOptions() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.stream(exchange, "application/x-ndjson",
                answer("Refunds ", "take ", "5 days ", "[1]."), 5));
        var sink = new TestFixtures.RecordingSink();

        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.OLLAMA, server.baseUrl(), null, MODEL), sink, NEVER);

        TestFixtures.assertStreamed(sink, answer, LlmProvider.OLLAMA, MODEL, 26, 4, "Refunds ", "take ", "5 days ", "[1].");

        var request = server.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/chat");
        JsonNode body = request.json();
        assertThat(body.get("model").asText()).isEqualTo(MODEL);
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.at("/options/temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.at("/options/num_predict").asInt()).isEqualTo(256);
        JsonNode messages = body.get("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).get("content").asText()).isEqualTo("You are Ada, a helpful agent.");
        assertThat(messages.get(1).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(2).get("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(3).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(3).get("content").asText()).startsWith("Knowledge: ");
    }

    @Test
    void platformBaseUrlComesFromTheEnvironmentWhenTheAgentHasNone() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.stream(exchange, "application/x-ndjson",
                answer("ok"), 0));
        LlmProperties platform = new LlmProperties("", "https://api.openai.com/v1", "", "http://unused.invalid", "",
                Duration.ofSeconds(3), Duration.ofSeconds(5), 1, Duration.ofMillis(10), 50f, 10, 5,
                Duration.ofSeconds(30), 4)
                .withEnvironmentDefaults(name -> name.equals("OLLAMA_BASE_URL") ? server.baseUrl() : null);

        LlmAnswer answer = TestFixtures.service(platform)
                .generate(request(LlmProvider.OLLAMA, null, null, MODEL), TokenSink.NONE, NEVER);

        assertThat(answer.text()).isEqualTo("ok");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void http500IsRetriedThenAnsweredExtractively() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.status(exchange, 500,
                "{\"error\":\"model runner crashed\"}"));
        var sink = new TestFixtures.RecordingSink();

        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.OLLAMA, server.baseUrl(), null, MODEL), sink, NEVER);

        assertThat(server.requests()).hasSize(2);
        assertThat(answer.fallback()).isTrue();
        assertThat(answer.fallbackReason()).isEqualTo("ollama: HTTP 500");
        assertThat(answer.text()).isEqualTo(EXTRACTIVE_ANSWER);
        assertThat(sink.text()).isEqualTo(EXTRACTIVE_ANSWER);
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        server = new FakeProviderServer((exchange, s) -> s.hang());
        var service = TestFixtures.service(TestFixtures.properties(Duration.ofMillis(300), Duration.ofSeconds(5), 1));

        LlmAnswer answer = service.generate(request(LlmProvider.OLLAMA, server.baseUrl(), null, MODEL),
                TokenSink.NONE, NEVER);

        assertThat(answer.fallback()).isTrue();
        assertThat(answer.fallbackReason()).isEqualTo("ollama: timeout");
    }

    @Test
    void aConnectionRefusedFallsBack() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.status(exchange, 200, "{}"));
        String closedPort = server.baseUrl();
        server.close();
        server = null;

        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.OLLAMA, closedPort, null, MODEL), TokenSink.NONE, NEVER);

        assertThat(answer.fallback()).isTrue();
        assertThat(answer.fallbackReason()).isEqualTo("ollama: connection failed");
        assertThat(answer.text()).isEqualTo(EXTRACTIVE_ANSWER);
    }

    @Test
    void aGarbageStreamFallsBack() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.stream(exchange, "application/x-ndjson",
                List.of("this is not json\n"), 0));

        long start = System.nanoTime();
        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.OLLAMA, server.baseUrl(), null, MODEL), TokenSink.NONE, NEVER);

        assertThat((System.nanoTime() - start) / 1_000_000).as("no wait for the timeout").isLessThan(1_500);
        assertThat(answer.fallback()).isTrue();
        assertThat(answer.fallbackReason()).isEqualTo("ollama: malformed response");
        assertThat(answer.text()).isEqualTo(EXTRACTIVE_ANSWER);
        assertThat(server.requests()).as("a garbage stream is not retried").hasSize(1);
    }

    @Test
    void aStreamThatEndsWithoutDoneKeepsThePartialTextAndSaysSo() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.stream(exchange, "application/x-ndjson",
                List.of(line("Refunds "), line("take ")), 0));
        var sink = new TestFixtures.RecordingSink();

        long start = System.nanoTime();
        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.OLLAMA, server.baseUrl(), null, MODEL), sink, NEVER);

        assertThat((System.nanoTime() - start) / 1_000_000).as("no wait for the timeout").isLessThan(1_500);
        assertThat(answer.text()).isEqualTo("Refunds take ");
        assertThat(sink.text()).isEqualTo("Refunds take ");
        assertThat(answer.provider()).isEqualTo(LlmProvider.OLLAMA);
        assertThat(answer.fallback()).isFalse();
        assertThat(answer.fallbackReason()).isEqualTo("ollama: stream interrupted");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void cancellingMidStreamReturnsThePartialText() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.stream(exchange, "application/x-ndjson",
                answer(TestFixtures.words(200)), 20));
        var cancelAfterTwo = new TestFixtures.CancellingSink(2);

        long start = System.nanoTime();
        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.OLLAMA, server.baseUrl(), null, MODEL), cancelAfterTwo, cancelAfterTwo::cancelled);

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
        assertThat(answer.cancelled()).isTrue();
        assertThat(answer.text()).isEqualTo("w0 w1 ");
        assertThat(server.awaitClientHangUp(3_000)).as("server saw the stream closed").isTrue();
    }

    @Test
    void circuitOpensAfterRepeatedFailures() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.status(exchange, 503, "{}"));
        var service = TestFixtures.service(TestFixtures.properties(Duration.ofSeconds(2), Duration.ofSeconds(5), 1));
        LlmRequest request = request(LlmProvider.OLLAMA, server.baseUrl(), null, MODEL);

        for (int i = 0; i < 4; i++) {
            service.generate(request, TokenSink.NONE, NEVER);
        }
        LlmAnswer answer = service.generate(request, TokenSink.NONE, NEVER);

        assertThat(server.requests()).hasSize(4);
        assertThat(answer.fallbackReason()).isEqualTo("ollama: circuit open");
    }
}
