package io.engage.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.crypto.SecretCipher;
import io.engage.support.AppNode;
import io.engage.support.DatabaseAvailableCondition;
import io.engage.support.FakeOpenAi;
import io.engage.support.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node shut down (SIGTERM: the context closed) while it streams an answer from a slow model: the answer is
 * completed for the visitor, the turn and its analytics event are stored (the turn writer drains after the web server
 * has finished its requests), and meanwhile new requests are refused. A node of the test's own, on a database of its
 * own; on both databases.
 */
@ExtendWith(DatabaseAvailableCondition.class)
class GracefulShutdownIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anAnswerInFlightIsCompletedAndStoredWhileNewRequestsAreRefused() throws Exception {
        try (FakeOpenAi model = new FakeOpenAi(); AppNode node = AppNode.start(TestDatabase.freshProperties())) {
            SecretCipher cipher = node.bean(SecretCipher.class); // taken now: the context is closed below
            AppNode.Tenant tenant = node.signupWithAgent(Map.of("llm", Map.of("provider", "openai-compatible",
                    "baseUrl", model.baseUrl(), "model", "test-model")));
            node.api().post("/rag/agents/" + tenant.agentId() + "/index", tenant.token(), Map.of("type", "text",
                    "title", "Prices", "content", "The Skyhawk DS-3 costs 499 euros, including two batteries."));
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                tokens.add(" word" + i);
            }
            model.answerSlowly(tokens, 100); // three seconds of streaming

            HttpRequest question = HttpRequest.newBuilder(URI.create(node.api().baseUrl() + "/agent/query"))
                    .header("X-Engage-Key", tenant.key()).header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                            Map.of("endUserId", "late-visitor", "message", "What does the DS-3 cost?"))))
                    .build();
            HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(question,
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            List<Map.Entry<String, JsonNode>> events = new ArrayList<>();
            while (events.stream().noneMatch(e -> e.getKey().equals("token"))) {
                Map.Entry<String, JsonNode> event = nextEvent(reader);
                assertThat(event).as("stream ended before the first token").isNotNull();
                events.add(event);
            }

            // SIGTERM, in effect: the context closes (graceful shutdown) while the answer is being streamed
            Thread closer = new Thread(node::close, "closer");
            closer.start();
            assertThat(refusesNewRequests(node, tenant.key())).as("a new request during the shutdown is refused")
                    .isTrue();
            assertThat(model.tokensWritten()).as("refused while the answer was still being streamed")
                    .isLessThan(tokens.size());

            for (Map.Entry<String, JsonNode> event = nextEvent(reader); event != null; event = nextEvent(reader)) {
                events.add(event);
            }
            closer.join(TimeUnit.SECONDS.toMillis(40));
            assertThat(closer.isAlive()).isFalse();
            assertThat(node.isRunning()).isFalse();

            List<String> kinds = events.stream().map(Map.Entry::getKey).toList();
            assertThat(kinds).as("the visitor got the whole answer").startsWith("start").endsWith("done")
                    .doesNotContain("error");
            JsonNode done = events.get(events.size() - 1).getValue();
            String answer = done.get("answer").asText();
            assertThat(answer).contains("word0", "word29");

            // stored by the turn writer's drain after the web server finished, together with its analytics event
            UUID messageId = UUID.fromString(done.get("messageId").asText());
            Map<String, Object> stored = lowerCase(node.jdbc().sql("SELECT content, cancelled FROM messages WHERE id = ?")
                    .param(messageId).query().listOfRows());
            assertThat(stored).as("the answer was stored").isNotEmpty();
            assertThat(cipher.open((String) stored.get("content"), ConversationRepository.contentContext(messageId)))
                    .isEqualTo(answer);
            assertThat(stored.get("cancelled")).isEqualTo(false);
            assertThat(node.jdbc().sql("SELECT COUNT(*) FROM analytics_events WHERE id = ?").param(messageId)
                    .query(Long.class).single()).as("its analytics event").isEqualTo(1L);
        }
    }

    /**
     * Polls with fresh connections until one is refused (connection refused, or 503 on a connection the server
     * still had open); false if the node kept accepting for five seconds.
     */
    private static boolean refusesNewRequests(AppNode node, String key) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(node.api().baseUrl() + "/agent/config"))
                    .timeout(Duration.ofSeconds(5)).header("X-Engage-Key", key).build();
            try {
                HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 503) {
                    return true;
                }
                // not shutting down yet; anything else is shown with its body (a request read at the instant of the
                // pause used to get Tomcat's 400: see PausedConnectorIT)
                assertThat(response.statusCode()).as(response.headers().map() + " " + response.body())
                        .isEqualTo(200);
            } catch (IOException refused) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** The next server-sent event, or null at the end of the stream. */
    private static Map.Entry<String, JsonNode> nextEvent(BufferedReader reader) throws IOException {
        String event = null;
        StringBuilder data = new StringBuilder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
            } else if (line.isEmpty() && event != null) {
                return Map.entry(event, JSON.readTree(data.toString()));
            }
        }
        return null;
    }

    private static Map<String, Object> lowerCase(List<Map<String, Object>> rows) {
        Map<String, Object> lower = new java.util.LinkedHashMap<>();
        rows.stream().findFirst().ifPresent(row -> row.forEach((k, v) -> lower.put(k.toLowerCase(), v)));
        return lower;
    }
}
