package io.engage.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.support.Api;
import io.engage.support.AppNode;
import io.engage.support.PostgresProcess;
import io.engage.support.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped and started again while visitors keep asking (a PostgreSQL of the test's own, so the machine's
 * shared one is left alone). During the outage a question gets an answer or a clean 503 problem (never a 500 or a
 * stack trace), and so does the company API; afterwards the same node answers again without a restart (the pool
 * reconnects); and every question that was answered with 200 is in its conversation's transcript, with its analytics
 * event: the turn writer kept what it could not store during the outage and stored it once the database was back.
 *
 * <p>PostgreSQL run only: the H2 run's database is embedded in the process and cannot go away on its own.
 */
class PostgresOutageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 6;
    private static final List<String> QUESTIONS = List.of("What does the Skyhawk DS-3 cost?",
            "How long does the DS-3 battery last?", "Does the DS-3 film in 4K?", "Is the DS-3 drone foldable?");

    private record Reply(int status, String contentType, String body, long sentAt, long receivedAt) {
    }

    @Test
    void questionsDuringARestartGetAnAnswerOrA503AndNoAnsweredTurnIsLost() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "PostgreSQL run only: H2 is embedded and cannot go away");
        assumeTrue(PostgresProcess.available(), "PostgreSQL's initdb/pg_ctl are not installed");
        try (PostgresProcess postgres = new PostgresProcess()) {
            postgres.createDatabase("engage");
            // no Redis: this test is about the database (memory is in-process)
            try (AppNode node = AppNode.start(Map.of("spring.datasource.url", postgres.jdbcUrl("engage"),
                    "spring.datasource.username", "postgres", "spring.datasource.password", "",
                    "engage.data-dir", Files.createTempDirectory("engage-it-").toString()))) {
                AppNode.Tenant tenant = node.signupWithAgent(Map.of("limits",
                        Map.of("requestsPerMinute", 100_000, "perEndUserPerMinute", 10_000)));
                String index = "/rag/agents/" + tenant.agentId() + "/index";
                node.api().post(index, tenant.token(), Map.of("type", "text", "title", "Prices", "content",
                        "The Skyhawk DS-3 costs 499 euros, including two batteries. Each battery lasts 31 minutes."));
                node.api().post(index, tenant.token(), Map.of("type", "text", "title", "Drone", "content",
                        "The Skyhawk DS-3 is our foldable camera drone. It films 4K video at 60 frames per second."));

                List<Reply> replies = new CopyOnWriteArrayList<>();
                AtomicBoolean done = new AtomicBoolean();
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                for (int i = 0; i < CLIENTS; i++) {
                    String visitor = "visitor-" + i;
                    clients.execute(() -> {
                        for (int n = 0; !done.get(); n++) {
                            replies.add(ask(http, node, tenant.key(), visitor, QUESTIONS.get(n % QUESTIONS.size())));
                        }
                    });
                }

                // under way (warm: the embedding model loaded, answers flowing) before the database goes away
                long warmDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (replies.stream().filter(r -> r.status() == 200).count() < 30
                        && System.nanoTime() < warmDeadline) {
                    Thread.sleep(100);
                }
                long outageStart = System.nanoTime();
                postgres.stop();
                // the company API too (its bearer token's user is read in a servlet filter, outside Spring MVC)
                Api.Response portal = node.api().get("/company/agents", tenant.token());
                assertThat(portal.status()).as(portal.toString()).isEqualTo(503);
                assertThat(portal.contentType()).startsWith("application/problem+json");
                assertThat(portal.header("Retry-After")).isNotBlank();
                // down for longer than the pool's connection timeout (5 s), so that waiting requests give up with 503
                Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(outageStart - System.nanoTime()) + 6500));
                postgres.start();
                long outageEnd = System.nanoTime();
                long deadline = outageEnd + TimeUnit.SECONDS.toNanos(40);
                while (replies.stream().filter(r -> r.sentAt() > outageEnd && r.status() == 200).count() < 30
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                done.set(true);
                clients.shutdown();
                assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

                Map<Integer, Long> byStatus = replies.stream()
                        .collect(Collectors.groupingBy(Reply::status, Collectors.counting()));
                System.out.println("Replies by status around the PostgreSQL restart: " + byStatus);
                assertThat(byStatus.keySet()).as("only answers and 503s: %s", byStatus).containsOnly(200, 503);
                List<Reply> refused = replies.stream().filter(r -> r.status() == 503).toList();
                assertThat(refused).as("requests that waited out the pool's timeout during the outage").isNotEmpty();
                for (Reply reply : refused) {
                    assertThat(reply.contentType()).startsWith("application/problem+json");
                    assertThat(reply.body()).contains("\"status\":503", "/problems/unavailable")
                            .doesNotContain("Exception", "\tat ", "trace", "SQL", "postgres");
                    assertThat(reply.sentAt()).as("refused only around the outage")
                            .isLessThan(outageEnd + TimeUnit.SECONDS.toNanos(5));
                    assertThat(reply.receivedAt()).isGreaterThan(outageStart);
                }
                assertThat(replies.stream().filter(r -> r.sentAt() > outageEnd && r.status() == 200).count())
                        .as("answers again after the restart, without restarting the node").isGreaterThanOrEqualTo(30);

                // every answer given is stored: transcript and analytics
                List<JsonNode> answers = replies.stream().filter(r -> r.status() == 200).map(r -> json(r.body()))
                        .toList();
                Set<UUID> answerIds = answers.stream().map(a -> UUID.fromString(a.get("messageId").asText()))
                        .collect(Collectors.toSet());
                UUID agentId = UUID.fromString(tenant.agentId());
                assertThat(awaitStored(node, agentId, answerIds)).as("answered turns stored").containsAll(answerIds);
                Set<UUID> events = new HashSet<>(node.jdbc().sql("SELECT id FROM analytics_events WHERE agent_id = ?")
                        .param(agentId).query(UUID.class).list());
                assertThat(events).as("their analytics events").containsAll(answerIds);
                Set<String> conversations = answers.stream().map(a -> a.get("conversationId").asText())
                        .collect(Collectors.toSet());
                Set<UUID> inTranscripts = new HashSet<>();
                for (String conversation : conversations) {
                    Api.Response transcript = node.api().get(tenant.path() + "/conversations/" + conversation,
                            tenant.token());
                    assertThat(transcript.status()).as(transcript.toString()).isEqualTo(200);
                    transcript.json().get("messages").findValuesAsText("id")
                            .forEach(id -> inTranscripts.add(UUID.fromString(id)));
                }
                assertThat(inTranscripts).as("every answer is in its transcript").containsAll(answerIds);
            }
        }
    }

    private static Reply ask(HttpClient http, AppNode node, String key, String visitor, String question) {
        long sentAt = System.nanoTime();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(node.api().baseUrl() + "/agent/query"))
                    .timeout(Duration.ofSeconds(30)).header("X-Engage-Key", key)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                            Map.of("endUserId", visitor, "message", question))))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), sentAt, System.nanoTime());
        } catch (IOException e) {
            return new Reply(-1, "", e.toString(), sentAt, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, "", e.toString(), sentAt, System.nanoTime());
        }
    }

    /** The agent's stored answers, once they include {@code expected} (or after 30 s). */
    private static Set<UUID> awaitStored(AppNode node, UUID agentId, Set<UUID> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Set<UUID> stored = new HashSet<>();
        while (System.nanoTime() < deadline) {
            stored = new HashSet<>(node.jdbc().sql("SELECT id FROM messages WHERE agent_id = ? AND role = 'assistant'")
                    .param(agentId).query(UUID.class).list());
            if (stored.containsAll(expected)) {
                break;
            }
            Thread.sleep(200);
        }
        return stored;
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + body, e);
        }
    }
}
