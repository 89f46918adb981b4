package io.engage.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.engage.support.Api;
import io.engage.support.AppNode;
import io.engage.support.DatabaseAvailableCondition;
import io.engage.support.TestDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Ingestion jobs survive the node that runs them: a node killed mid-job (while fetching a page, while embedding a long
 * document, in the middle of a synchronous RAG request) leaves jobs that the next node resumes once their leases run
 * out, and a node stopped with jobs running and queued hands them over at once. Every source ends ready, none stays
 * in progress, none has duplicate chunks. Nodes of the test's own on a database of its own (the suite's shared node
 * would otherwise take jobs too); on both databases.
 */
@ExtendWith(DatabaseAvailableCondition.class)
class IngestionRecoveryIT {

    @Test
    void jobsOfAKilledNodeAreResumedByTheNextNodeWithoutDuplicateChunks() throws Exception {
        Map<String, String> database = TestDatabase.freshProperties();
        try (SlowSite site = new SlowSite()) {
            site.page("/guide", "Flight guide", "Before each flight, unfold the arms until they click into place.");
            site.page("/faq", "Drone FAQ", "The propellers are replaced by pressing them down and turning them.");
            AppNode first = AppNode.start(database);
            AppNode.Tenant tenant;
            Thread syncRequest;
            try {
                tenant = first.signupWithAgent(Map.of());
                // a page on a slow site: the job waits in the fetch
                add(first, tenant, Map.of("type", "url", "url", site.url("/guide")));
                assertThat(site.awaitRequested("/guide")).isTrue();
                // the synchronous RAG API: the request waits in the fetch
                syncRequest = new Thread(() -> {
                    try {
                        first.api().post("/rag/agents/" + tenant.agentId() + "/index", tenant.token(),
                                Map.of("type", "url", "url", site.url("/faq")));
                    } catch (IllegalStateException connectionLost) {
                        // the node went away mid-request
                    }
                });
                syncRequest.start();
                assertThat(site.awaitRequested("/faq")).isTrue();
                // a long document: killed while its chunks are being embedded
                String handbook = add(first, tenant, Map.of("type", "text", "title", "Handbook", "content",
                        handbook(60)));
                awaitStatus(first.jdbc(), handbook, Set.of("indexing"));

                // the kill; the slow site then lets go of the dead node's requests, so its threads end at once
                first.cutDatabase();
                site.release();
            } finally {
                first.close();
            }
            syncRequest.join(TimeUnit.SECONDS.toMillis(30));
            JdbcClient jdbc = first.jdbc();
            List<Map<String, Object>> leftBehind = rows(jdbc, tenant.agentId());
            assertThat(leftBehind).hasSize(3).allSatisfy(row -> {
                assertThat(row.get("status")).isIn("parsing", "indexing");
                assertThat(((Number) row.get("attempts")).intValue()).isEqualTo(1);
            });

            try (AppNode next = AppNode.start(database)) {
                // the killed node's leases (4 s here) run out, then the next node takes the jobs over
                for (Map<String, Object> row : leftBehind) {
                    awaitStatus(jdbc, row.get("id").toString(), Set.of("ready", "failed"));
                }
                assertThat(rows(jdbc, tenant.agentId())).hasSize(3).allSatisfy(row -> {
                    assertThat(row.get("status")).as("source %s: %s", row.get("id"), row.get("error"))
                            .isEqualTo("ready");
                    assertThat(((Number) row.get("attempts")).intValue()).as("resumed once").isEqualTo(2);
                    assertNoDuplicateChunks(jdbc, row);
                });
                assertThat(search(next, tenant, "how are the propellers replaced")).contains("pressing them down");
                assertThat(search(next, tenant, "unfold the arms before flight")).contains("click into place");
                assertThat(search(next, tenant, "battery care in part 47")).contains("Part 47");
            }
        }
    }

    @Test
    void jobsRunningAndQueuedOnAStoppedNodeAreAllProcessedByTheNextNode() throws Exception {
        Map<String, String> database = TestDatabase.freshProperties();
        try (SlowSite site = new SlowSite()) {
            site.page("/slow", "Warranty", "The warranty covers two years from the date of purchase.");
            Map<String, String> oneWorker = new HashMap<>(database);
            oneWorker.put("engage.knowledge.workers", "1");
            oneWorker.put("engage.knowledge.shutdown-grace", "1s");
            AppNode first = AppNode.start(oneWorker);
            AppNode.Tenant tenant;
            List<String> queued = new ArrayList<>();
            try {
                tenant = first.signupWithAgent(Map.of());
                // the node's only worker waits for a slow site, so later sources stay queued
                add(first, tenant, Map.of("type", "url", "url", site.url("/slow")));
                assertThat(site.awaitRequested("/slow")).isTrue();
                for (String topic : List.of("returns", "shipping", "repairs")) {
                    queued.add(add(first, tenant, Map.of("type", "text", "title", topic, "content",
                            "Our " + topic + " policy: everything about " + topic + " is handled within five days.")));
                }
                Thread.sleep(300);
                for (String id : queued) {
                    assertThat(status(first.jdbc(), id)).isEqualTo("queued");
                }
            } finally {
                // SIGTERM: the running job's grace period (1 s here) runs out while it still waits for the site
                first.close();
            }
            JdbcClient jdbc = first.jdbc();
            assertThat(rows(jdbc, tenant.agentId())).hasSize(4).allSatisfy(row -> {
                assertThat(row.get("status")).as("handed back, not failed: %s", row.get("error")).isEqualTo("queued");
                assertThat(((Number) row.get("attempts")).intValue()).as("a hand-over is no failed attempt")
                        .isZero();
            });
            site.release();

            try (AppNode next = AppNode.start(database)) {
                for (Map<String, Object> row : rows(jdbc, tenant.agentId())) {
                    awaitStatus(jdbc, row.get("id").toString(), Set.of("ready", "failed"));
                }
                assertThat(rows(jdbc, tenant.agentId())).hasSize(4).allSatisfy(row -> {
                    assertThat(row.get("status")).as("source %s: %s", row.get("id"), row.get("error"))
                            .isEqualTo("ready");
                    assertNoDuplicateChunks(jdbc, row);
                });
                assertThat(search(next, tenant, "how long is the warranty")).contains("two years");
                assertThat(search(next, tenant, "shipping policy")).contains("shipping");
            }
        }
    }

    private static String add(AppNode node, AppNode.Tenant tenant, Map<String, String> body) {
        Api.Response response = node.api().post(tenant.path() + "/knowledge", tenant.token(), body);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return response.json().get("sourceId").asText();
    }

    /** A long manual: one section per part, each about one chunk long, each with words of its own. */
    private static String handbook(int parts) {
        StringBuilder text = new StringBuilder("# Skyhawk handbook\n\n");
        for (int i = 1; i <= parts; i++) {
            text.append("## Part ").append(i).append("\n\n");
            for (int s = 0; s < 6; s++) {
                text.append("Part ").append(i).append(" explains battery care, step ").append(s)
                        .append(": keep battery pack ").append(i * 7 + s)
                        .append(" between 20 and 40 percent charge when it is stored for longer than ")
                        .append(i + s).append(" days, and let it cool before charging. ");
            }
            text.append("\n\n");
        }
        return text.toString();
    }

    private static List<Map<String, Object>> rows(JdbcClient jdbc, String agentId) {
        return jdbc.sql("SELECT id, status, error, attempts, chunk_count FROM knowledge_sources WHERE agent_id = ?")
                .param(UUID.fromString(agentId)).query().listOfRows().stream().map(IngestionRecoveryIT::lowerCase)
                .toList();
    }

    private static String status(JdbcClient jdbc, String sourceId) {
        return jdbc.sql("SELECT status FROM knowledge_sources WHERE id = ?").param(UUID.fromString(sourceId))
                .query(String.class).single();
    }

    private static void awaitStatus(JdbcClient jdbc, String sourceId, Set<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String status = status(jdbc, sourceId);
        while (!wanted.contains(status) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            status = status(jdbc, sourceId);
        }
        assertThat(status).as("status of source %s", sourceId).isIn(wanted);
    }

    /** The source's chunks are one set: as many as it says, each ordinal once. */
    private static void assertNoDuplicateChunks(JdbcClient jdbc, Map<String, Object> source) {
        Map<String, Object> chunks = lowerCase(jdbc.sql("SELECT COUNT(*) AS total, COUNT(DISTINCT ordinal) AS ordinals "
                + "FROM knowledge_chunks WHERE source_id = ?").param(source.get("id")).query().singleRow());
        int expected = ((Number) source.get("chunk_count")).intValue();
        assertThat(expected).isPositive();
        assertThat(((Number) chunks.get("total")).intValue()).as("chunks of %s", source.get("id")).isEqualTo(expected);
        assertThat(((Number) chunks.get("ordinals")).intValue()).isEqualTo(expected);
    }

    private static String search(AppNode node, AppNode.Tenant tenant, String query) {
        Api.Response response = node.api().get("/rag/agents/" + tenant.agentId() + "/search?k=3&q="
                + java.net.URLEncoder.encode(query, StandardCharsets.UTF_8), tenant.token());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return String.join(" | ", response.json().get("results").findValuesAsText("text"));
    }

    private static Map<String, Object> lowerCase(Map<String, Object> row) {
        Map<String, Object> lower = new HashMap<>();
        row.forEach((key, value) -> lower.put(key.toLowerCase(), value));
        return lower;
    }

    /** A web site that holds every request until {@link #release()}, like one that stopped answering. */
    private static final class SlowSite implements AutoCloseable {

        private final HttpServer server;
        private final CountDownLatch released = new CountDownLatch(1);
        private final Map<String, CountDownLatch> requested = new ConcurrentHashMap<>();

        SlowSite() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
        }

        void page(String path, String title, String text) {
            requested.put(path, new CountDownLatch(1));
            byte[] html = ("<html><head><title>" + title + "</title></head><body><main><h1>" + title + "</h1><p>"
                    + text + "</p></main></body></html>").getBytes(StandardCharsets.UTF_8);
            server.createContext(path, exchange -> serve(exchange, path, html));
        }

        private void serve(HttpExchange exchange, String path, byte[] html) throws IOException {
            requested.get(path).countDown();
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, html.length);
                exchange.getResponseBody().write(html);
            } catch (IOException clientGone) {
                // the node that asked is gone
            }
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        boolean awaitRequested(String path) throws InterruptedException {
            return requested.get(path).await(30, TimeUnit.SECONDS);
        }

        void release() {
            released.countDown();
        }

        @Override
        public void close() {
            released.countDown();
            server.stop(0);
        }
    }
}
