package io.engage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An authenticated user of the server: bearer token kept fresh ({@code POST /auth/refresh} before the 15-minute
 * access token runs out, and once more on a 401), plus the calls the harness makes.
 */
final class Session {

    // the first search of a large agent builds its index (about a minute at 100k chunks on 2 cores)
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    private static final Set<String> PENDING = Set.of("queued", "parsing", "indexing");

    private final Http http;
    private final String baseUrl;
    private String accessToken;
    private String refreshToken;
    private long refreshAtNanos;

    private Session(Http http, String baseUrl, JsonNode tokens) {
        this.http = http;
        this.baseUrl = baseUrl;
        accept(tokens);
    }

    static Session login(Http http, String baseUrl, String path, Object body, int expected) {
        Http.Response response = http.send("POST", URI.create(baseUrl + path), null, body, DEFAULT_TIMEOUT);
        if (response.status() != expected) {
            throw new Http.ApiException("POST", URI.create(baseUrl + path), response.status(), response.body());
        }
        return new Session(http, baseUrl, response.json());
    }

    private void accept(JsonNode tokens) {
        accessToken = tokens.path("accessToken").asText(null);
        refreshToken = tokens.path("refreshToken").asText(null);
        if (accessToken == null) {
            throw new IllegalStateException("no accessToken in " + tokens);
        }
        long lifetime = Math.max(60, tokens.path("expiresIn").asLong(900));
        // refresh with a margin of a third of the lifetime (5 minutes of the usual 15)
        refreshAtNanos = System.nanoTime() + Duration.ofSeconds(lifetime * 2 / 3).toNanos();
    }

    private synchronized String token() {
        if (System.nanoTime() - refreshAtNanos > 0) {
            refresh();
        }
        return accessToken;
    }

    private synchronized void refresh() {
        URI uri = URI.create(baseUrl + "/auth/refresh");
        Http.Response response = http.send("POST", uri, null, Map.of("refreshToken", refreshToken), DEFAULT_TIMEOUT);
        if (response.status() != 200) {
            throw new Http.ApiException("POST", uri, response.status(), response.body());
        }
        accept(response.json());
    }

    /** Sends a call; any status other than the expected ones is an {@link Http.ApiException}. */
    JsonNode call(String method, String path, Object body, Duration timeout, int... expected) {
        URI uri = URI.create(baseUrl + path);
        String usedToken = token();
        Http.Response response = http.send(method, uri, usedToken, body, timeout);
        if (response.status() == 401) {
            synchronized (this) {
                if (usedToken.equals(accessToken)) {
                    refresh();
                }
            }
            response = http.send(method, uri, token(), body, timeout);
        }
        for (int status : expected) {
            if (response.status() == status) {
                return response.json();
            }
        }
        throw new Http.ApiException(method, uri, response.status(), response.body());
    }

    JsonNode get(String path) {
        return call("GET", path, null, DEFAULT_TIMEOUT, 200);
    }

    // ---- agents and knowledge ----

    /** {@code POST /company/agents} → the new agent's id. */
    String createAgent(String name) {
        return createAgent(Map.of("name", name)).path("id").asText();
    }

    /** {@code POST /company/agents} with a full body → the new agent, including its {@code apiKey} (shown once). */
    JsonNode createAgent(Map<String, Object> body) {
        return call("POST", "/company/agents", body, DEFAULT_TIMEOUT, 201);
    }

    /** A text document as the knowledge APIs take it. */
    record Doc(String externalId, String title, String content) {

        Map<String, Object> syncBody() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("externalId", externalId);
            if (title != null && !title.isBlank()) {
                body.put("title", title);
            }
            body.put("content", content);
            return body;
        }

        Map<String, Object> addBody() {
            Map<String, Object> body = syncBody();
            body.put("type", "text");
            return body;
        }
    }

    /** {@code PUT /rag/agents/{id}/knowledge} (full sync, ingested in the background) → source ids in order. */
    List<String> sync(String agentId, List<Doc> docs) {
        List<Map<String, Object>> documents = docs.stream().map(Doc::syncBody).toList();
        JsonNode result = call("PUT", "/rag/agents/" + agentId + "/knowledge", Map.of("documents", documents),
                Duration.ofMinutes(10), 200);
        List<String> ids = new ArrayList<>();
        for (JsonNode source : result.path("sources")) {
            ids.add(source.path("id").asText());
        }
        if (ids.size() != docs.size()) {
            throw new IllegalStateException("sync answered " + ids.size() + " sources for " + docs.size()
                    + " documents: " + Http.abbreviate(result.toString(), 500));
        }
        return ids;
    }

    /** {@code POST /company/agents/{id}/knowledge} (202, ingested in the background) → the source id. */
    String add(String agentId, Doc doc) {
        return call("POST", "/company/agents/" + agentId + "/knowledge", doc.addBody(), DEFAULT_TIMEOUT, 202, 200)
                .path("sourceId").asText();
    }

    /** {@code POST /rag/agents/{id}/index} (synchronous) → {sourceId, status, chunkCount}. */
    JsonNode index(String agentId, Doc doc) {
        return call("POST", "/rag/agents/" + agentId + "/index", doc.addBody(), Duration.ofMinutes(10), 201, 200);
    }

    /** Status of one knowledge source. */
    record SourceState(String id, String status, int chunkCount, String error) {
    }

    /** Every source of the agent ({@code GET /company/agents/{id}/knowledge}, all pages). */
    Map<String, SourceState> sources(String agentId) {
        return scan(agentId, null, new LinkedHashMap<>()).states;
    }

    private record Scan(Map<String, SourceState> states, String settledCursor, int pending) {
    }

    /**
     * Reads the list from {@code cursor} on into {@code states}; the returned cursor is the end of the longest run of
     * pages, from the start, in which no source is pending, so the next poll can start there.
     */
    private Scan scan(String agentId, String cursor, Map<String, SourceState> states) {
        String settled = cursor;
        boolean allSettledSoFar = true;
        int pending = 0;
        String next = cursor;
        do {
            String path = "/company/agents/" + agentId + "/knowledge?limit=200"
                    + (next == null ? "" : "&cursor=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            JsonNode page = get(path);
            int pendingOnPage = 0;
            for (JsonNode item : page.path("items")) {
                SourceState state = new SourceState(item.path("id").asText(), item.path("status").asText(),
                        item.path("chunkCount").asInt(0), item.path("error").isNull() ? null
                        : item.path("error").asText(null));
                states.put(state.id(), state);
                if (PENDING.contains(state.status())) {
                    pendingOnPage++;
                }
            }
            pending += pendingOnPage;
            JsonNode nextCursor = page.path("nextCursor");
            next = nextCursor.isNull() || nextCursor.isMissingNode() ? null : nextCursor.asText();
            if (allSettledSoFar && pendingOnPage == 0 && next != null) {
                settled = next;
            } else {
                allSettledSoFar = false;
            }
        } while (next != null);
        return new Scan(states, settled, pending);
    }

    /**
     * Polls the agent's sources until none is queued, parsing or indexing (and at least {@code expected} exist).
     * Pages already seen fully settled are not read again.
     */
    Map<String, SourceState> awaitSettled(String agentId, int expected, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextReport = start + Duration.ofSeconds(15).toNanos();
        Map<String, SourceState> states = new LinkedHashMap<>();
        String cursor = null;
        while (true) {
            Scan scan = scan(agentId, cursor, states);
            cursor = scan.settledCursor();
            if (scan.pending() == 0 && states.size() >= expected) {
                return states;
            }
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException("ingestion did not finish within " + timeout.toMinutes()
                        + " min: " + scan.pending() + " of " + states.size() + " sources still pending");
            }
            if (now > nextReport) {
                long chunks = states.values().stream().mapToLong(SourceState::chunkCount).sum();
                System.out.printf("  … %d/%d sources settled, %d chunks, %.0f s%n", states.size() - scan.pending(),
                        states.size(), chunks, (now - start) / 1e9);
                nextReport = now + Duration.ofSeconds(15).toNanos();
            }
            EngageServer.sleep(250);
        }
    }

    // ---- search ----

    /** One search result. */
    record Hit(String chunkId, String sourceId, String title, double score) {
    }

    /** {@code GET /rag/agents/{id}/search?q=&k=&mode=}. */
    List<Hit> search(String agentId, String query, int k, String mode) {
        String path = "/rag/agents/" + agentId + "/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&k=" + k + (mode == null ? "" : "&mode=" + mode);
        JsonNode response = get(path);
        List<Hit> hits = new ArrayList<>();
        for (JsonNode result : response.path("results")) {
            hits.add(new Hit(result.path("chunkId").asText(), result.path("sourceId").asText(),
                    result.path("title").asText(), result.path("score").asDouble()));
        }
        return hits;
    }
}
