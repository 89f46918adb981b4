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

/** Google Gemini streamGenerateContent (SSE), against a local server speaking its wire format. */
class GeminiProviderTest {

    private static final String MODEL = "gemini-2.5-flash";

    private FakeProviderServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String base() {
        return server.baseUrl() + "/v1beta";
    }

    static String chunk(String text, String finishReason, int promptTokens, int outputTokens) {
        return "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + FakeProviderServerJson.quote(text)
                + "}],\"role\":\"model\"}" + (finishReason == null ? "" : ",\"finishReason\":\"" + finishReason + "\"")
                + ",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":" + promptTokens
                + ",\"candidatesTokenCount\":" + outputTokens + ",\"totalTokenCount\":" + (promptTokens + outputTokens)
                + "},\"modelVersion\":\"" + MODEL + "\",\"responseId\":\"r1\"}\r\n\r\n";
    }

    static List<String> answer(String... pieces) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < pieces.length; i++) {
            boolean last = i == pieces.length - 1;
            events.add(chunk(pieces[i], last ? "STOP" : null, 31, i + 1 + (last ? 5 : 0)));
        }
        return events;
    }

    @Test
    void streamsTokensAndSendsSystemInstructionAndRoles() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.stream(exchange, "text/event-stream",
                answer("Refunds take ", "five days ", "[1]."), 5));
        var sink = new TestFixtures.RecordingSink();

        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.GEMINI, base(), "AIza-test-key", MODEL), sink, NEVER);

        TestFixtures.assertStreamed(sink, answer, LlmProvider.GEMINI, MODEL, 31, 8, "Refunds take ", "five days ", "[1].");

        var request = server.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1beta/models/" + MODEL + ":streamGenerateContent");
        assertThat(request.query()).isEqualTo("alt=sse");
        assertThat(request.header("x-goog-api-key")).isEqualTo("AIza-test-key");
        JsonNode body = request.json();
        assertThat(body.at("/systemInstruction/parts/0/text").asText()).isEqualTo("You are Ada, a helpful agent.");
        JsonNode contents = body.get("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.get(0).get("role").asText()).isEqualTo("user");
        assertThat(contents.get(0).at("/parts/0/text").asText()).isEqualTo("Hi");
        assertThat(contents.get(1).get("role").asText()).isEqualTo("model");
        assertThat(contents.get(1).at("/parts/0/text").asText()).isEqualTo("Hello! How can I help?");
        assertThat(contents.get(2).get("role").asText()).isEqualTo("user");
        assertThat(contents.get(2).at("/parts/0/text").asText()).startsWith("Knowledge: ");
        assertThat(body.at("/generationConfig/temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(256);
    }

    @Test
    void http500IsRetriedThenAnsweredExtractively() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.status(exchange, 500,
                "{\"error\":{\"code\":500,\"message\":\"Internal error\",\"status\":\"INTERNAL\"}}"));
        var sink = new TestFixtures.RecordingSink();

        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.GEMINI, base(), "AIza-test-key", MODEL), sink, NEVER);

        assertThat(server.requests()).hasSize(2);
        assertThat(answer.fallback()).isTrue();
        assertThat(answer.fallbackReason()).isEqualTo("gemini: HTTP 500");
        assertThat(answer.text()).isEqualTo(EXTRACTIVE_ANSWER);
        assertThat(sink.text()).isEqualTo(EXTRACTIVE_ANSWER);
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        server = new FakeProviderServer((exchange, s) -> s.hang());
        var service = TestFixtures.service(TestFixtures.properties(Duration.ofMillis(300), Duration.ofSeconds(5), 1));

        LlmAnswer answer = service.generate(request(LlmProvider.GEMINI, base(), "AIza-test-key", MODEL),
                TokenSink.NONE, NEVER);

        assertThat(answer.fallback()).isTrue();
        assertThat(answer.fallbackReason()).isEqualTo("gemini: timeout");
        assertThat(answer.text()).isEqualTo(EXTRACTIVE_ANSWER);
    }

    @Test
    void aGarbageStreamFallsBack() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.stream(exchange, "text/event-stream",
                List.of("data: <html>oops</html>\r\n\r\n"), 0));

        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.GEMINI, base(), "AIza-test-key", MODEL), TokenSink.NONE, NEVER);

        assertThat(answer.fallback()).isTrue();
        assertThat(answer.fallbackReason()).isEqualTo("gemini: malformed response");
        assertThat(answer.text()).isEqualTo(EXTRACTIVE_ANSWER);
    }

    @Test
    void cancellingMidStreamReturnsThePartialText() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.stream(exchange, "text/event-stream",
                answer(TestFixtures.words(200)), 20));
        var cancelAfterTwo = new TestFixtures.CancellingSink(2);

        long start = System.nanoTime();
        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.GEMINI, base(), "AIza-test-key", MODEL), cancelAfterTwo, cancelAfterTwo::cancelled);

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
        assertThat(answer.cancelled()).isTrue();
        assertThat(answer.text()).isEqualTo("w0 w1 ");
        assertThat(server.awaitClientHangUp(3_000)).as("server saw the stream closed").isTrue();
    }

    @Test
    void circuitOpensAfterRepeatedFailures() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.status(exchange, 503, "{}"));
        var service = TestFixtures.service(TestFixtures.properties(Duration.ofSeconds(2), Duration.ofSeconds(5), 1));
        LlmRequest request = request(LlmProvider.GEMINI, base(), "AIza-test-key", MODEL);

        for (int i = 0; i < 4; i++) {
            service.generate(request, TokenSink.NONE, NEVER);
        }
        LlmAnswer answer = service.generate(request, TokenSink.NONE, NEVER);

        assertThat(server.requests()).hasSize(4);
        assertThat(answer.fallbackReason()).isEqualTo("gemini: circuit open");
    }

    @Test
    void missingKeyFallsBack() {
        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.GEMINI, null, "  ", MODEL), TokenSink.NONE, NEVER);

        assertThat(answer.fallback()).isTrue();
        assertThat(answer.fallbackReason()).isEqualTo("gemini: no API key configured");
    }
}
