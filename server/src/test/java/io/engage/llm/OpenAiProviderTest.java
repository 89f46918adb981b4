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

/** OpenAI and OpenAI-compatible chat completions, against a local server speaking the streaming wire format. */
class OpenAiProviderTest {

    private FakeProviderServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String chunk(String content) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":" + FakeProviderServerJson.quote(content)
                + "},\"finish_reason\":null}]}\n\n";
    }

    static List<String> completion(String... pieces) {
        List<String> events = new ArrayList<>();
        events.add("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        for (String piece : pieces) {
            events.add(chunk(piece));
        }
        events.add("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        events.add("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":7,"
                + "\"total_tokens\":49}}\n\n");
        events.add("data: [DONE]\n\n");
        return events;
    }

    @Test
    void streamsTokensInOrderAndSendsTheWholeConversation() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.stream(exchange, "text/event-stream",
                completion("Refunds ", "take ", "5 days ", "[1]."), 5));
        var sink = new TestFixtures.RecordingSink();

        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.OPENAI, server.baseUrl(), "sk-test-123", "gpt-4o-mini"), sink, NEVER);

        TestFixtures.assertStreamed(sink, answer, LlmProvider.OPENAI, "gpt-4o-mini", 42, 7, "Refunds ", "take ",
                "5 days ", "[1].");
        assertThat(answer.fallbackReason()).isNull();
        assertThat(answer.cancelled()).isFalse();

        var request = server.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/chat/completions");
        assertThat(request.header("Authorization")).isEqualTo("Bearer sk-test-123");
        JsonNode body = request.json();
        assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.get("max_tokens").asInt()).isEqualTo(256);
        JsonNode messages = body.get("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).get("content").asText()).isEqualTo("You are Ada, a helpful agent.");
        assertThat(messages.get(1).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(1).get("content").asText()).isEqualTo("Hi");
        assertThat(messages.get(2).get("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(2).get("content").asText()).isEqualTo("Hello! How can I help?");
        assertThat(messages.get(3).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(3).get("content").asText()).startsWith("Knowledge: ").endsWith("refunds take?");
    }

    @Test
    void openAiCompatibleServerWithoutKeyGetsNoAuthorizationHeader() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.stream(exchange, "text/event-stream",
                completion("Hi ", "there"), 0));
        var sink = new TestFixtures.RecordingSink();

        LlmAnswer answer = TestFixtures.service().generate(
                request(LlmProvider.OPENAI_COMPATIBLE, server.baseUrl() + "/", null, "mistral-small"), sink, NEVER);

        assertThat(answer.text()).isEqualTo("Hi there");
        assertThat(answer.provider()).isEqualTo(LlmProvider.OPENAI_COMPATIBLE);
        assertThat(answer.model()).isEqualTo("mistral-small");
        assertThat(answer.fallback()).isFalse();
        assertThat(server.lastRequest().path()).isEqualTo("/chat/completions");
        assertThat(server.lastRequest().header("Authorization")).isNull();
        assertThat(server.lastRequest().json().get("model").asText()).isEqualTo("mistral-small");
    }

    @Test
    void http500IsRetriedThenAnsweredExtractively() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.status(exchange, 500,
                "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
        var sink = new TestFixtures.RecordingSink();

        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.OPENAI, server.baseUrl(), "sk-secret-value", "gpt-4o-mini"), sink, NEVER);

        assertThat(server.requests()).hasSize(2);
        assertThat(answer.fallback()).isTrue();
        assertThat(answer.fallbackReason()).isEqualTo("openai: HTTP 500");
        assertThat(answer.provider()).isEqualTo(LlmProvider.EXTRACTIVE);
        assertThat(answer.text()).isEqualTo(EXTRACTIVE_ANSWER);
        assertThat(sink.text()).isEqualTo(EXTRACTIVE_ANSWER);
        assertThat(answer.citedPassages()).containsExactly(1);
    }

    @Test
    void http401IsNotRetried() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.status(exchange, 401,
                "{\"error\":{\"message\":\"Incorrect API key provided: sk-wrong\",\"type\":\"invalid_request_error\"}}"));

        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.OPENAI, server.baseUrl(), "sk-wrong", "gpt-4o-mini"), TokenSink.NONE,
                        NEVER);

        assertThat(server.requests()).hasSize(1);
        assertThat(answer.fallbackReason()).isEqualTo("openai: HTTP 401").doesNotContain("sk-wrong");
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndFallsBack() throws Exception {
        server = new FakeProviderServer((exchange, s) -> s.hang());
        var service = TestFixtures.service(TestFixtures.properties(Duration.ofMillis(300), Duration.ofSeconds(5), 2));

        long start = System.nanoTime();
        LlmAnswer answer = service.generate(request(LlmProvider.OPENAI, server.baseUrl(), "sk-test", "gpt-4o-mini"),
                TokenSink.NONE, NEVER);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(answer.fallback()).isTrue();
        assertThat(answer.fallbackReason()).isEqualTo("openai: timeout");
        assertThat(answer.text()).isEqualTo(EXTRACTIVE_ANSWER);
        assertThat(server.requests()).hasSize(2);
        assertThat(millis).isBetween(600L, 3_000L);
    }

    @Test
    void aGarbageStreamFallsBack() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.stream(exchange, "text/event-stream",
                List.of("data: this is not json\n\n", "data: [DONE]\n\n"), 0));

        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.OPENAI, server.baseUrl(), "sk-test", "gpt-4o-mini"), TokenSink.NONE,
                        NEVER);

        assertThat(answer.fallback()).isTrue();
        assertThat(answer.fallbackReason()).startsWith("openai: ");
        assertThat(answer.text()).isEqualTo(EXTRACTIVE_ANSWER);
    }

    @Test
    void cancellingMidStreamStopsPromptlyAndClosesTheConnection() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.stream(exchange, "text/event-stream",
                completion(TestFixtures.words(200)), 20));
        var cancelAfterThree = new TestFixtures.CancellingSink(3);
        var sink = cancelAfterThree.recorded;

        long start = System.nanoTime();
        LlmAnswer answer = TestFixtures.service().generate(
                request(LlmProvider.OPENAI, server.baseUrl(), "sk-test", "gpt-4o-mini"), cancelAfterThree, cancelAfterThree::cancelled);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(answer.cancelled()).isTrue();
        assertThat(answer.text()).isEqualTo("w0 w1 w2 ");
        assertThat(sink.text()).isEqualTo("w0 w1 w2 ");
        assertThat(answer.fallback()).isFalse();
        assertThat(millis).isLessThan(2_000);
        assertThat(server.awaitClientHangUp(3_000)).as("server saw the stream closed").isTrue();
    }

    @Test
    void streamBrokenAfterTokensKeepsThePartialText() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.stream(exchange, "text/event-stream",
                List.of(chunk("Refunds "), chunk("take "), "data: {broken json\n\n"), 0));
        var sink = new TestFixtures.RecordingSink();

        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.OPENAI, server.baseUrl(), "sk-test", "gpt-4o-mini"), sink, NEVER);

        assertThat(server.requests()).hasSize(1);
        assertThat(answer.text()).isEqualTo("Refunds take ");
        assertThat(sink.text()).isEqualTo("Refunds take ");
        assertThat(answer.provider()).isEqualTo(LlmProvider.OPENAI);
        assertThat(answer.fallback()).isFalse();
        assertThat(answer.fallbackReason()).isEqualTo("openai: stream interrupted");
    }

    @Test
    void circuitOpensAfterRepeatedFailuresAndLaterCallsSkipTheServer() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.status(exchange, 503, "{}"));
        var service = TestFixtures.service(TestFixtures.properties(Duration.ofSeconds(2), Duration.ofSeconds(5), 1));
        LlmRequest request = request(LlmProvider.OPENAI, server.baseUrl(), "sk-test", "gpt-4o-mini");

        for (int i = 0; i < 4; i++) { // minimum calls in the test properties
            assertThat(service.generate(request, TokenSink.NONE, NEVER).fallbackReason()).isEqualTo("openai: HTTP 503");
        }
        int served = server.requests().size();
        LlmAnswer answer = service.generate(request, TokenSink.NONE, NEVER);

        assertThat(served).isEqualTo(4);
        assertThat(server.requests()).hasSize(4);
        assertThat(answer.fallback()).isTrue();
        assertThat(answer.fallbackReason()).isEqualTo("openai: circuit open");
        assertThat(answer.text()).isEqualTo(EXTRACTIVE_ANSWER);
    }

    @Test
    void anOpenCircuitLetsATrialCallThroughAfterItsWaitAndClosesOnSuccess() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.status(exchange, 503, "{}"));
        LlmProperties quickRecovery = new LlmProperties("", "https://api.openai.com/v1", "", "http://unused.invalid",
                "", Duration.ofSeconds(2), Duration.ofSeconds(5), 1, Duration.ofMillis(10), 50f, 4, 2,
                Duration.ofMillis(300), 4);
        var service = TestFixtures.service(quickRecovery);
        LlmRequest request = request(LlmProvider.OPENAI, server.baseUrl(), "sk-test", "gpt-4o-mini");
        service.generate(request, TokenSink.NONE, NEVER);
        service.generate(request, TokenSink.NONE, NEVER);
        assertThat(service.generate(request, TokenSink.NONE, NEVER).fallbackReason()).isEqualTo("openai: circuit open");

        server.script((exchange, s) -> FakeProviderServer.stream(exchange, "text/event-stream", completion("back"), 0));
        Thread.sleep(400);
        LlmAnswer trial = service.generate(request, TokenSink.NONE, NEVER);

        assertThat(trial.fallback()).isFalse();
        assertThat(trial.text()).isEqualTo("back");
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void missingKeyFallsBackWithoutCalling() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.status(exchange, 200, "{}"));

        LlmAnswer answer = TestFixtures.service()
                .generate(request(LlmProvider.OPENAI, null, null, "gpt-4o-mini"), TokenSink.NONE, NEVER);

        assertThat(answer.fallback()).isTrue();
        assertThat(answer.fallbackReason()).isEqualTo("openai: no API key configured");
        assertThat(answer.text()).isEqualTo(EXTRACTIVE_ANSWER);
    }

    @Test
    void platformKeyIsUsedForThePlatformEndpointButNeverSentToAnAgentsOwnUrl() throws Exception {
        server = new FakeProviderServer((exchange, s) -> FakeProviderServer.stream(exchange, "text/event-stream",
                completion("ok"), 0));
        LlmProperties platform = new LlmProperties("sk-platform", server.baseUrl(), "", "http://unused.invalid", "",
                Duration.ofSeconds(3), Duration.ofSeconds(5), 1, Duration.ofMillis(10), 50f, 10, 5,
                Duration.ofSeconds(30), 4);
        var service = TestFixtures.service(platform);

        LlmAnswer viaPlatform = service.generate(request(LlmProvider.OPENAI, null, null, "gpt-4o-mini"),
                TokenSink.NONE, NEVER);
        LlmAnswer viaAgentUrl = service.generate(
                request(LlmProvider.OPENAI, "http://127.0.0.1:9/v1", null, "gpt-4o-mini"), TokenSink.NONE, NEVER);

        assertThat(viaPlatform.text()).isEqualTo("ok");
        assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer sk-platform");
        assertThat(viaAgentUrl.fallbackReason()).isEqualTo("openai: no API key configured");
        assertThat(server.requests()).hasSize(1);
    }
}
