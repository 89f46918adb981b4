package io.engage.web;

import static io.engage.support.Fuzz.elements;
import static io.engage.support.Fuzz.frequency;
import static io.engage.support.Fuzz.weight;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.engage.common.WriteBarrier;
import io.engage.support.Api;
import io.engage.support.FakeOpenAi;
import io.engage.support.Fuzz;
import io.engage.support.Fuzz.Gen;
import io.engage.support.IntegrationTest;
import io.engage.support.TestDatabase;
import io.engage.support.TestDocuments;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Property-based fuzzing of the whole HTTP API. Every operation of the served OpenAPI spec (and the knowledge upload)
 * gets malformed requests generated from its own schema: wrong JSON types per field, missing and extra fields, 1 MB
 * strings, deep nesting, control and odd Unicode characters, truncated JSON, empty bodies, arrays instead of objects,
 * numbers out of range, invalid UUIDs in paths, bad query parameters (negative limits, garbage cursors, bad dates,
 * unknown enums), wrong content types and accept headers, bad tokens and widget keys, wrong methods. Valid-but-odd
 * requests may succeed. For every response:
 * <ol>
 *   <li>never a 5xx;</li>
 *   <li>no stack trace, Java exception or class name in the body;</li>
 *   <li>every 4xx is application/problem+json with its status and a title;</li>
 *   <li>a rejected (4xx) request leaves the database as it was: a checksum of every application table's contents is
 *       compared before and after (exclusions in {@link #TABLE_FILTERS}).</li>
 * </ol>
 * Exclusions from (d): failed sign-ins are audited on purpose ({@link #TABLE_FILTERS}), and a 422 ingestion-failed
 * from {@code POST /rag/agents/{id}/index} stores the failed source by design ({@code Database.storedAsFailed}).
 * Tries: {@link #TRIES_PER_OPERATION} per operation and {@link #UPLOAD_TRIES} uploads, times
 * {@code -Dengage.fuzz.tries-factor}; a failure names the seed to rerun with ({@code -Dengage.fuzz.seed}).
 */
class FuzzIT extends IntegrationTest {

    private static final int TRIES_PER_OPERATION = 20;
    private static final int UPLOAD_TRIES = 30;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");
    /** Control characters other than newlines, shown as a dot in failure reports. */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n]]");

    /** What must never reach a client: stack frames, exception names, Java packages. */
    private static final Pattern LEAK = Pattern.compile("Exception|Throwable|\\bat [a-z]+\\.[a-z]+|\\tat |"
            + "\\b(?:java|javax|jakarta|org|com|io|net|sun)\\.(?:[a-z0-9_]+\\.)+[A-Za-z_$][\\w$]*|"
            + "StreamReadConstraints|\\.java:\\d+|SQLState|\\bSQL\\b|constraint \\[");

    /**
     * Rows that legitimately change on a rejected request, left out of the checksum (table → SQL condition on the
     * rows that are compared). audit_log: a failed sign-in (401) is audited on purpose, as auth.login_failed
     * (AuthController); every other audit row must not appear for a rejected request.
     */
    private static final Map<String, String> TABLE_FILTERS = Map.of(
            "audit_log", "action <> 'auth.login_failed'");

    /** Tables that are not the application's data. */
    private static final List<String> NOT_APPLICATION_TABLES = List.of("flyway_schema_history");

    @Autowired
    private ApplicationContext context;

    private static Fixture fixture;

    /** The ids and credentials the requests use; created once per run. */
    private record Fixture(FakeOpenAi model, String adminToken, String companyAdminToken, String memberToken,
            String widgetKey, String otherKey, Map<String, String> readIds, Map<String, String> writeIds,
            JsonNode spec) {
    }

    private enum Caller { NONE, PLATFORM_ADMIN, COMPANY_ADMIN, COMPANY_MEMBER, WIDGET }

    private record Operation(String method, String template, JsonNode operation) {
        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    /** One generated request; {@code body} is a String (UTF-8), byte[] or null. */
    private record FuzzRequest(String method, String path, Caller caller, String token, List<String> headers,
            Object body, String contentType, String mutation) {
        @Override
        public String toString() {
            String shownBody = body == null ? "<none>" : body instanceof byte[] bytes
                    ? "<" + bytes.length + " bytes> " + Fuzz.abbreviate(new String(bytes, StandardCharsets.UTF_8), 300)
                    : Fuzz.abbreviate((String) body, 600);
            shownBody = CONTROL.matcher(shownBody).replaceAll("\u00b7");
            return method + " " + Fuzz.abbreviate(path, 400) + " as " + caller + " [" + mutation + "]\n  headers "
                    + headers + (contentType == null ? "" : " content-type " + contentType) + "\n  body " + shownBody;
        }
    }

    @BeforeEach
    void createFixture() throws IOException {
        if (fixture == null) {
            fixture = newFixture();
        }
    }

    @AfterAll
    static void closeModel() {
        if (fixture != null) {
            fixture.model().close();
            fixture = null;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the properties

    @Test
    void everyOperationAnswersMalformedRequestsWithoutServerErrorsOrLeaksAndRejectionsChangeNothing() {
        List<Operation> operations = operations(fixture.spec());
        assertThat(operations).as("operations in /v3/api-docs").hasSizeGreaterThan(40);
        Database database = new Database();
        database.settle();
        Map<String, int[]> statusesByOperation = new TreeMap<>();
        int tries = Fuzz.tries(TRIES_PER_OPERATION);
        List<String> failures = new ArrayList<>();
        for (Operation operation : operations) {
            try {
                Fuzz.forAll(operation.toString(), tries, request(operation), request -> {
                    Api.Response response = send(request);
                    assertWellFormed(response);
                    database.check(request, response, this::send);
                    statusesByOperation.computeIfAbsent(operation.toString(), k -> new int[6])
                            [response.status() / 100]++;
                });
            } catch (AssertionError e) {
                // go on with the other operations: one run reports every operation that fails
                failures.add(e.getMessage());
                database.settle();
            }
        }
        statusesByOperation.forEach((operation, counts) -> System.out.printf("fuzz %-65s 2xx %3d  4xx %3d%n",
                operation, counts[2], counts[4]));
        System.out.printf("fuzz: %d operations x %d tries; %d database checks of rejected requests (%d ms)%n",
                operations.size(), tries, database.checks, database.nanos / 1_000_000);
        System.out.printf("fuzz: waited %d ms for background writes%n", database.waitNanos / 1_000_000);
        assertThat(failures).as("operations whose fuzzing failed").isEmpty();
    }

    @Test
    void knowledgeUploadsAreAcceptedAndIngestedOrRejectedNeverServerErrors() {
        Database database = new Database();
        database.settle();
        // the widget's agent, which the other property never changes (it may disable the second one)
        String path = "/company/agents/" + fixture.readIds().get("agentId") + "/knowledge";
        List<String> accepted = new ArrayList<>();
        Fuzz.forAll("knowledge upload", Fuzz.tries(UPLOAD_TRIES), upload(path), request -> {
            Api.Response response = send(request);
            assertWellFormed(response);
            if (response.status() == 202) {
                accepted.add(response.json().get("sourceId").asText());
            }
            database.check(request, response, this::send);
        });
        // every accepted upload ends ready or failed with a plain message; the workers survived them all
        for (String sourceId : accepted) {
            JsonNode source = awaitIngested(path + "/" + sourceId, fixture.companyAdminToken());
            String status = source.get("status").asText().toLowerCase();
            assertThat(status).as(source.toString()).isIn("ready", "failed");
            if (status.equals("failed")) {
                String error = source.path("error").asText("");
                assertThat(error).as("failure message of %s", source).isNotBlank().doesNotContainPattern(LEAK);
            }
        }
        Api.Response fine = api.send("POST", path, fixture.companyAdminToken(),
                multipart(List.of(filePart("after-fuzz.txt", "text/plain",
                        ("The workers still ingest after the fuzzing " + UUID.randomUUID()).getBytes(
                                StandardCharsets.UTF_8)))), MULTIPART_TYPE);
        assertThat(fine.status()).as(fine.toString()).isEqualTo(202);
        JsonNode after = awaitIngested(path + "/" + fine.json().get("sourceId").asText(),
                fixture.companyAdminToken());
        assertThat(after.get("status").asText().toLowerCase()).as(after.toString()).isEqualTo("ready");
        System.out.printf("fuzz uploads: %d accepted (all ingested or failed cleanly), %d database checks (%d ms)%n",
                accepted.size(), database.checks, database.nanos / 1_000_000);
        System.out.printf("fuzz: waited %d ms for background writes%n", database.waitNanos / 1_000_000);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the checks

    /** Checks (a) to (c); the failing request is named by {@link Fuzz#forAll}. */
    private static void assertWellFormed(Api.Response response) {
        int status = response.status();
        String body = response.body() == null ? "" : response.body();
        assertThat(status).as("status (answer: %s)", Fuzz.abbreviate(body, 1000)).isLessThan(500);
        Matcher leak = LEAK.matcher(body);
        if (leak.find()) {
            throw new AssertionError("The response leaks '" + leak.group() + "': " + status + " "
                    + Fuzz.abbreviate(body, 1500));
        }
        if (status >= 400) {
            assertThat(response.contentType()).as("content type of the %d answer %s", status,
                    Fuzz.abbreviate(body, 500)).startsWith("application/problem+json");
            JsonNode problem = response.json();
            assertThat(problem.path("status").asInt()).as("status in %s", body).isEqualTo(status);
            assertThat(problem.path("title").asText("")).as("title in %s", body).isNotBlank();
        }
    }

    /**
     * Checksums of every application table (row count plus a sum of row hashes, computed by the database). The
     * checksum after each rejected request must equal the one before it; after an accepted request the writes queued
     * behind it are awaited and the checksum is taken anew.
     */
    private final class Database {
        private Map<String, String> last;
        private int checks;
        private final List<String> tables = tables();

        void settle() {
            long start = System.nanoTime();
            awaitBackgroundWrites();
            waitNanos += System.nanoTime() - start;
            last = checksums();
        }

        private long waitNanos;

        void check(FuzzRequest request, Api.Response response, java.util.function.Function<FuzzRequest,
                Api.Response> resend) {
            if (response.status() < 400 || storedAsFailed(response)) {
                settle();
                return;
            }
            Map<String, String> now = checksums();
            checks++;
            if (now.equals(last)) {
                return;
            }
            // something changed: the request, or background work (an hourly job, another test's leftovers)? Settle
            // and send the same request again; only a change it causes again is its own.
            settle();
            Api.Response again = resend.apply(request);
            if (again.status() < 400) {
                settle();
                return;
            }
            Map<String, String> afterAgain = checksums();
            if (!afterAgain.equals(last)) {
                List<String> changed = new ArrayList<>();
                for (String table : tables) {
                    if (!Objects.equals(last.get(table), afterAgain.get(table))) {
                        changed.add(table + " " + last.get(table) + " -> " + afterAgain.get(table));
                    }
                }
                last = afterAgain;
                throw new AssertionError("A rejected request (" + again.status() + ") changed the database: "
                        + changed + "\n  answer " + Fuzz.abbreviate(again.body(), 500));
            }
        }

        private long nanos;

        /**
         * Not a rejection: POST /rag/agents/{id}/index ran the pipeline and stored the source as failed (422
         * ingestion-failed with its sourceId, as the portal shows failed sources with their reason).
         */
        private static boolean storedAsFailed(Api.Response response) {
            return response.status() == 422 && response.body().contains("/problems/ingestion-failed")
                    && response.body().contains("\"sourceId\"");
        }

        private Map<String, String> checksums() {
            long start = System.nanoTime();
            try {
                return computeChecksums();
            } finally {
                nanos += System.nanoTime() - start;
            }
        }

        /** One query for all tables (one round trip: most of the cost on PostgreSQL). */
        private Map<String, String> computeChecksums() {
            if (checksumSql == null) {
                List<String> parts = new ArrayList<>();
                for (String table : tables) {
                    String where = TABLE_FILTERS.containsKey(table) ? " WHERE " + TABLE_FILTERS.get(table) : "";
                    String hash = TestDatabase.isPostgres() ? "hashtextextended(t::text, 0)::numeric"
                            : rowHashH2(table);
                    parts.add("SELECT '" + table + "' AS name, COUNT(*) AS n, CAST(COALESCE(SUM(" + hash
                            + "), 0) AS NUMERIC) AS h FROM " + table + " t" + where);
                }
                checksumSql = String.join(" UNION ALL ", parts);
            }
            Map<String, String> sums = new TreeMap<>();
            for (Map<String, Object> row : jdbc.sql(checksumSql).query().listOfRows()) {
                sums.put(String.valueOf(row.get("name")), row.get("n") + ":" + row.get("h"));
            }
            return sums;
        }

        private String checksumSql;

        private final Map<String, String> h2RowHashes = new java.util.HashMap<>();

        /** H2 has no row-to-text: a weighted sum of the columns' hashes (binary columns as bytes, others as text). */
        private String rowHashH2(String table) {
            return h2RowHashes.computeIfAbsent(table, t -> {
                List<Map<String, Object>> columns = jdbc.sql("SELECT column_name, data_type FROM "
                        + "information_schema.columns WHERE table_schema = 'public' AND table_name = ? ORDER BY "
                        + "ordinal_position").param(t).query().listOfRows();
                List<String> terms = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    String column = "t.\"" + columns.get(i).get("column_name") + "\"";
                    String type = String.valueOf(columns.get(i).get("data_type")).toUpperCase();
                    String value = type.contains("BINARY") || type.contains("BLOB") || type.equals("JSON") ? column
                            : "CAST(" + column + " AS VARCHAR)";
                    terms.add("CAST(COALESCE(ORA_HASH(" + value + "), 4294967296) AS NUMERIC) * "
                            + (4294967311L + 2L * i));
                }
                return String.join(" + ", terms);
            });
        }

        private List<String> tables() {
            return jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND "
                    + "table_type = 'BASE TABLE' ORDER BY table_name").query(String.class).list().stream()
                    .filter(table -> !NOT_APPLICATION_TABLES.contains(table)).toList();
        }
    }

    /** Waits for writes queued behind accepted requests: turns, events, ingestion. */
    private void awaitBackgroundWrites() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            context.getBeansOfType(WriteBarrier.class).values().forEach(WriteBarrier::awaitWritten);
            // keys' "last used", written every 30 s: a write landing between two checksums is not a request's doing
            context.getBean(io.engage.auth.AgentKeys.class).writeUses();
            Integer busy = jdbc.sql("SELECT COUNT(*) FROM knowledge_sources WHERE status IN ('queued', 'parsing', "
                    + "'indexing')").query(Integer.class).single();
            if (busy == 0) {
                return;
            }
            sleep(100);
        }
    }

    private JsonNode awaitIngested(String sourcePath, String token) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        JsonNode source = null;
        while (Instant.now().isBefore(deadline)) {
            Api.Response response = api.get(sourcePath, token);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            source = response.json();
            String status = source.get("status").asText().toLowerCase();
            if (status.equals("ready") || status.equals("failed")) {
                return source;
            }
            sleep(100);
        }
        throw new AssertionError("Not ingested within 90 s: " + source);
    }

    private Api.Response send(FuzzRequest request) {
        try {
            URI.create(api.baseUrl() + request.path());
        } catch (IllegalArgumentException notAUri) {
            return sendRaw(request); // Java's HTTP client refuses to send it: the socket does not
        }
        return api.send(request.method(), request.path(), request.token(), request.body(), request.contentType(),
                request.headers().toArray(String[]::new));
    }

    /** Sends the request line and headers as they are, over a socket; reads the answer to the end. */
    private Api.Response sendRaw(FuzzRequest request) {
        byte[] body = request.body() == null ? new byte[0] : request.body() instanceof byte[] bytes ? bytes
                : ((String) request.body()).getBytes(StandardCharsets.UTF_8);
        // a raw CR or LF would end the request line early: "GET /x?q=%" alone is an HTTP/0.9 request, answered with a
        // bare body (no status line, no headers), so it would not test the path it came with; sent encoded instead
        String path = request.path().replace("\r", "%0D").replace("\n", "%0A");
        StringBuilder head = new StringBuilder(request.method() + " " + path + " HTTP/1.1\r\nHost: localhost:"
                + port + "\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n");
        if (request.token() != null) {
            head.append("Authorization: Bearer ").append(request.token()).append("\r\n");
        }
        if (request.contentType() != null) {
            head.append("Content-Type: ").append(request.contentType()).append("\r\n");
        }
        for (int i = 0; i + 1 < request.headers().size(); i += 2) {
            head.append(request.headers().get(i)).append(": ").append(request.headers().get(i + 1)).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            byte[] answer = socket.getInputStream().readAllBytes();
            return parseRaw(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Api.Response parseRaw(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("an HTTP answer: %s", Fuzz.abbreviate(text, 300)).isPositive();
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
        }
        byte[] rest = Arrays.copyOfRange(answer, end + 4, answer.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int at = 0;
            while (at < rest.length) {
                int lineEnd = new String(rest, at, rest.length - at, StandardCharsets.ISO_8859_1).indexOf("\r\n");
                int size = Integer.parseInt(new String(rest, at, lineEnd, StandardCharsets.ISO_8859_1).split(";")[0]
                        .trim(), 16);
                if (size == 0) {
                    break;
                }
                body.write(rest, at + lineEnd + 2, size);
                at += lineEnd + 2 + size + 2;
            }
            rest = body.toByteArray();
        }
        return new Api.Response(status, headers, new String(rest, StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the fixture

    private Fixture newFixture() throws IOException {
        FakeOpenAi model = new FakeOpenAi();
        String adminToken = adminToken();
        TestCompany company = signup();
        // the widget's agent: answers through the fake model, with limits the fuzzing does not use up
        Map<String, Object> limits = Map.of("requestsPerMinute", 100000, "perEndUserPerMinute", 10000);
        JsonNode widgetAgent = createAgent(company.token(), Map.of("name", "Fuzz widget", "status", "published",
                "llm", Map.of("provider", "openai-compatible", "baseUrl", model.baseUrl(), "model", "test-model"),
                "limits", limits, "widget", Map.of("allowedOrigins", List.of("https://fuzz.example"))));
        // the agent that writes go to (updates, keys, knowledge, disable), so that the widget's agent stays usable
        JsonNode victimAgent = createAgent(company.token(), Map.of("name", "Fuzz target",
                "llm", Map.of("provider", "openai-compatible", "baseUrl", model.baseUrl(), "model", "test-model"),
                "limits", limits));
        String agentId = widgetAgent.get("id").asText();
        String memberEmail = unique("member") + "@example.com";
        assertThat(api.post("/company/users", company.token(), Map.of("email", memberEmail, "password", PASSWORD,
                "role", "COMPANY_MEMBER")).status()).isEqualTo(201);
        Api.Response victimUser = api.post("/company/users", company.token(), Map.of("email",
                unique("victim") + "@example.com", "password", PASSWORD, "role", "COMPANY_MEMBER"));
        assertThat(victimUser.status()).as(victimUser.toString()).isEqualTo(201);
        String memberToken = login("/company/login", memberEmail, PASSWORD);

        // some data to read: a source, a conversation, an end-user
        Api.Response source = api.post("/company/agents/" + agentId + "/knowledge", company.token(),
                Map.of("type", "text", "title", "Prices", "content", "# Prices\n\nThe DS-3 costs 120 euros."));
        assertThat(source.status()).as(source.toString()).isEqualTo(202);
        awaitIngested("/company/agents/" + agentId + "/knowledge/" + source.json().get("sourceId").asText(),
                company.token());
        Api.Response answer = api.send("POST", "/agent/query", null, Map.of("endUserId", "fuzz-visitor", "message",
                "What does the DS-3 cost?"), "application/json", "X-Engage-Key", widgetAgent.get("apiKey").asText());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        awaitBackgroundWrites();
        JsonNode endUsers = api.get("/company/agents/" + agentId + "/users", company.token()).json();
        String endUserId = endUsers.get("items").get(0).get("id").asText();
        String keyId = api.get("/company/agents/" + agentId + "/keys", company.token()).json().get(0).get("id")
                .asText();

        Map<String, String> readIds = Map.of("agentId", agentId, "companyId", company.id().toString(),
                "sourceId", source.json().get("sourceId").asText(), "endUserId", endUserId,
                "conversationId", answer.json().get("conversationId").asText(), "keyId", keyId,
                "userId", victimUser.json().get("id").asText());
        Map<String, String> writeIds = Map.of("agentId", victimAgent.get("id").asText(),
                "userId", victimUser.json().get("id").asText(), "endUserId", endUserId);
        JsonNode spec = api.get("/v3/api-docs", null).json();
        return new Fixture(model, adminToken, company.token(), memberToken, widgetAgent.get("apiKey").asText(),
                victimAgent.get("apiKey").asText(), readIds, writeIds, spec);
    }

    private static List<Operation> operations(JsonNode spec) {
        List<Operation> operations = new ArrayList<>();
        spec.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method ->
                operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), method.getValue()))));
        operations.sort((a, b) -> a.toString().compareTo(b.toString()));
        return operations;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // generators: requests

    private Gen<FuzzRequest> request(Operation operation) {
        return random -> {
            List<String> mutations = new ArrayList<>();
            String method = operation.method();
            if (random.nextInt(40) == 0) {
                method = elements("GET", "POST", "PUT", "PATCH", "DELETE").next(random);
                mutations.add("method " + method);
            }
            Caller caller = caller(operation, random, mutations);
            String path = path(operation, method, random, mutations) + query(operation, random, mutations);
            List<String> headers = new ArrayList<>();
            String token = token(caller, random, headers, mutations);
            headers(operation, random, headers, mutations);
            Object[] body = body(operation, random, mutations);
            return new FuzzRequest(method, path, caller, token, headers, body[0], (String) body[1],
                    String.join("; ", mutations));
        };
    }

    private static Caller intendedCaller(Operation operation) {
        String path = operation.template();
        if (path.startsWith("/agent/")) {
            return Caller.WIDGET;
        }
        if (path.endsWith("/login") || path.equals("/company/signup") || path.equals("/auth/refresh")
                || path.equals("/auth/logout")) {
            return Caller.NONE;
        }
        if (path.startsWith("/admin/")) {
            return Caller.PLATFORM_ADMIN;
        }
        return Caller.COMPANY_ADMIN;
    }

    private static Caller caller(Operation operation, Random random, List<String> mutations) {
        Caller intended = intendedCaller(operation);
        if (random.nextInt(10) == 0) {
            Caller other = Caller.values()[random.nextInt(Caller.values().length)];
            if (other != intended) {
                mutations.add("caller " + other);
            }
            return other;
        }
        if (intended == Caller.COMPANY_ADMIN && random.nextInt(4) == 0
                && !operation.template().equals("/auth/me")) {
            return Caller.COMPANY_MEMBER;
        }
        return intended;
    }

    private String token(Caller caller, Random random, List<String> headers, List<String> mutations) {
        String token = switch (caller) {
            case PLATFORM_ADMIN -> fixture.adminToken();
            case COMPANY_ADMIN -> fixture.companyAdminToken();
            case COMPANY_MEMBER -> fixture.memberToken();
            default -> null;
        };
        if (caller == Caller.WIDGET) {
            String key = frequency(
                    weight(12, Fuzz.constant(fixture.widgetKey())),
                    weight(1, Fuzz.constant(fixture.otherKey())),
                    weight(1, Fuzz.constant(" " + fixture.widgetKey() + " ")),
                    weight(2, headerValues()),
                    weight(1, Fuzz.constant(fixture.widgetKey() + "x"))).next(random);
            if (!key.equals(fixture.widgetKey())) {
                mutations.add("widget key " + Fuzz.abbreviate(key, 60));
            }
            headers.add("X-Engage-Key");
            headers.add(key);
            return null;
        }
        if (random.nextInt(12) == 0) {
            String bad = frequency(
                    weight(3, headerValues()),
                    weight(1, Fuzz.constant("eyJhbGciOiJub25lIn0.eyJzdWIiOiJyb290Iiwicm9sZSI6IlBMQVRGT1JNX0FETUlOIn0.")),
                    weight(1, Fuzz.constant(token == null ? "x" : token + "x")),
                    weight(1, Fuzz.constant(token == null ? "a.b.c" : new StringBuilder(token).reverse().toString())))
                    .next(random);
            mutations.add("token " + Fuzz.abbreviate(bad, 60));
            return bad;
        }
        return token;
    }

    private void headers(Operation operation, Random random, List<String> headers, List<String> mutations) {
        String accept = frequency(
                weight(10, Fuzz.constant("application/json")),
                weight(2, Fuzz.constant("*/*")),
                weight(2, elements("text/event-stream", "application/xml", "text/html", "image/png",
                        "application/problem+json", "garbage", "application/json;q=0", ""))).next(random);
        if (!accept.isEmpty()) {
            headers.add("Accept");
            headers.add(accept);
        }
        if (!accept.equals("application/json") && !accept.equals("*/*")) {
            mutations.add("accept " + accept);
        }
        if (operation.template().startsWith("/agent/")) {
            if (random.nextInt(6) == 0) {
                String origin = elements("https://fuzz.example", "https://evil.example", "null", "http://localhost:"
                        + port, "HTTPS://FUZZ.EXAMPLE", "file://", " ").next(random);
                headers.add("Origin");
                headers.add(origin);
                mutations.add("origin " + origin);
            }
            if (random.nextInt(6) == 0) {
                String hash = headerValues().next(random);
                headers.add("X-Engage-User-Hash");
                headers.add(hash);
                mutations.add("user hash " + Fuzz.abbreviate(hash, 40));
            }
        }
        if (random.nextInt(25) == 0) {
            headers.add("X-Request-Id");
            headers.add(headerValues().next(random));
            mutations.add("request id");
        }
    }

    /** Header values the HTTP client lets through (visible ASCII and Latin-1). */
    private static Gen<String> headerValues() {
        return frequency(
                weight(3, Fuzz.strings("abcXYZ019-_.~+/=:;,'\"!@#$%^&*()[]{}<>?|\\ \u00e9\u00ff", 80)),
                weight(1, elements("", "null", "Bearer", "Bearer  ", "Basic YWRtaW46YWRtaW4=", "undefined")),
                weight(1, random -> "k".repeat(1 + random.nextInt(9000))));
    }

    /**
     * Reads use the fixture's ids; writes the ids of what may be changed (the second agent, a spare user); deletes
     * only random ids, so that the fuzzing never removes what it needs. By the method actually sent.
     */
    private String path(Operation operation, String method, Random random, List<String> mutations) {
        Map<String, String> ids = method.equals("GET") ? fixture.readIds()
                : method.equals("DELETE") ? Map.of()
                // blocking the fixture's end-user is harmless: the generated questions come from other visitors
                : operation.template().contains("{endUserId}") ? fixture.readIds() : fixture.writeIds();
        Matcher matcher = VARIABLE.matcher(operation.template());
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String known = ids.getOrDefault(name, UUID.randomUUID().toString());
            String segment = frequency(
                    weight(8, Fuzz.constant(known)),
                    weight(2, random1 -> UUID.randomUUID().toString()),
                    weight(4, badIdSegments(known))).next(random);
            if (!segment.equals(known)) {
                mutations.add(name + "=" + Fuzz.abbreviate(segment, 60));
            }
            matcher.appendReplacement(path, Matcher.quoteReplacement(segment));
        }
        matcher.appendTail(path);
        return path.toString();
    }

    /** Path segments that are not UUIDs (already URL-encoded where needed). */
    private static Gen<String> badIdSegments(String known) {
        return frequency(
                weight(4, elements("abc", "1", "-1", "0", "null", "undefined", known.toUpperCase(),
                        known.replace("-", ""), known + "x", known.substring(1), "00000000-0000-0000-0000-000000000000",
                        "ffffffff-ffff-ffff-ffff-ffffffffffff", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
                        "1-1-1-1-1", known + "%20", "%20" + known, known + ";x=1", known + ".json",
                        "%2e%2e", "..", ".", "%2F", "%5C", "%00", "%0A", "%25", "%c0%ae%c0%ae", "%ff%fe",
                        "~", "*", "$", "%7B" + known + "%7D")),
                weight(2, Fuzz.nastyStrings(40).map(FuzzIT::encodePathSegment)),
                weight(1, random -> "9".repeat(1 + random.nextInt(3000))));
    }

    private static String encodePathSegment(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private String query(Operation operation, Random random, List<String> mutations) {
        List<String> pairs = new ArrayList<>();
        for (JsonNode parameter : operation.operation().path("parameters")) {
            if (!parameter.path("in").asText().equals("query")) {
                continue;
            }
            String name = parameter.get("name").asText();
            boolean required = parameter.path("required").asBoolean();
            if (!required && random.nextInt(3) == 0) {
                continue;
            }
            if (required && random.nextInt(15) == 0) {
                mutations.add("without " + name);
                continue;
            }
            String value = queryValue(name, parameter.path("schema"), random, mutations);
            pairs.add(encodeQuery(name) + "=" + value);
            if (random.nextInt(30) == 0) {
                pairs.add(encodeQuery(name) + "=" + queryValue(name, parameter.path("schema"), random, mutations));
                mutations.add("twice " + name);
            }
        }
        if (random.nextInt(20) == 0) {
            pairs.add(elements("unknown=1", "limit", "=x", "&&", "a[b]=c", "%zz=1", "x=%", "cursor[]=1")
                    .next(random));
            mutations.add("odd query " + pairs.get(pairs.size() - 1));
        }
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    /** A query value, already encoded; odd values are recorded as mutations. */
    private String queryValue(String name, JsonNode schema, Random random, List<String> mutations) {
        String type = schema.path("type").asText();
        String format = schema.path("format").asText();
        Gen<String> valid;
        Gen<String> invalid;
        if (name.equals("cursor")) {
            valid = Fuzz.constant("");
            invalid = frequency(
                    weight(2, Fuzz.nastyStrings(60)),
                    weight(2, random1 -> Base64.getUrlEncoder().withoutPadding().encodeToString(
                            Fuzz.nastyStrings(40).next(random1).getBytes(StandardCharsets.UTF_8))),
                    weight(1, random1 -> Base64.getUrlEncoder().withoutPadding().encodeToString(
                            UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII))),
                    weight(1, elements("====", "-_-_", "AAAA", "%00", "null")));
        } else if (name.equals("from") || name.equals("to")) {
            valid = elements("2024-01-01", "2030-12-31", "2025-06-01T00:00:00Z", "");
            invalid = frequency(
                    weight(3, elements("2024-13-45", "2024-02-30", "yesterday", "0000-00-00", "+999999999-12-31",
                            "-999999999-01-01", "99999-01-01", "2024-01-01T25:61:00Z", "1e10", "-1", "1700000000",
                            "2024-01-01T00:00:00+25:00", "2024/01/01", "2024-W01-1", "0001-01-01", "9999-12-31",
                            "2024-01-01T00:00:00.999999999999Z", "P1D", "now")),
                    weight(1, Fuzz.nastyStrings(30)));
        } else if (type.equals("integer") || name.equals("k")) {
            valid = Fuzz.ints(1, 20).map(String::valueOf);
            invalid = elements("0", "-1", "-2147483648", "2147483647", "2147483648", "99999999999999999999", "1.5",
                    "1e3", "abc", "", " 5", "0x10", "NaN", "Infinity", "+7", "007", "\u0665", "1,2");
        } else if (format.equals("uuid") || name.endsWith("Id") && !name.equals("endUserId")) {
            valid = Fuzz.constant(fixture.readIds().getOrDefault(name, UUID.randomUUID().toString()));
            invalid = badIdSegments(UUID.randomUUID().toString());
        } else if (schema.has("enum") || List.of("status", "interval", "mode", "action").contains(name)) {
            List<String> values = new ArrayList<>();
            schema.path("enum").forEach(value -> values.add(value.asText()));
            values.addAll(List.of("draft", "published", "day", "hour", "bm25", "vector", "hybrid",
                    "agent.created", "auth.login_failed"));
            valid = elements(values);
            invalid = frequency(weight(2, elements("DAY", "week", "minute", "", "PUBLISHED ", "all", "*", "%00")),
                    weight(1, Fuzz.nastyStrings(30)));
        } else {
            valid = elements("hello", "DS-3", "fuzz-visitor", "price", "a");
            invalid = frequency(weight(3, Fuzz.nastyStrings(40)), weight(1, random1 -> "q".repeat(
                    1 + random1.nextInt(20_000))));
        }
        if (random.nextInt(3) == 0) {
            String value = invalid.next(random);
            mutations.add(name + "=" + Fuzz.abbreviate(value, 50));
            // a few values go out raw (already escaped or deliberately malformed), the rest encoded
            return value.startsWith("%") && random.nextBoolean() ? value : encodeQuery(value);
        }
        return encodeQuery(valid.next(random));
    }

    private static String encodeQuery(String text) {
        return encodePathSegment(text);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // generators: bodies

    /** {body, content type}. */
    private Object[] body(Operation operation, Random random, List<String> mutations) {
        JsonNode content = operation.operation().path("requestBody").path("content");
        JsonNode schema = content.path("application/json").path("schema");
        if (schema.isMissingNode()) {
            // no JSON body: usually none, sometimes one anyway
            if (random.nextInt(8) != 0) {
                return new Object[] {null, null};
            }
            mutations.add("unexpected body");
            return new Object[] {rawBody(random, NODES.objectNode().put("x", 1)), contentType(random, mutations)};
        }
        ObjectNode valid = (ObjectNode) validValue(schema, random, "");
        JsonNode mutated = valid;
        int mutationKind = random.nextInt(20);
        Object body;
        if (mutationKind < 3) {
            body = json(valid); // valid (or valid-but-odd) input may succeed
        } else if (mutationKind < 12) {
            mutated = mutateFields(valid, schema, random, mutations, 1 + random.nextInt(3));
            body = json(mutated);
        } else {
            body = rawBody(random, valid);
            mutations.add("raw body");
        }
        String contentType = random.nextInt(8) == 0 ? contentType(random, mutations) : "application/json";
        return new Object[] {body, contentType};
    }

    private static String contentType(Random random, List<String> mutations) {
        String type = elements("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data", "multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1",
                "application/json; charset=UTF-16", "application/json; charset=nonsense", "application/merge-patch+json",
                "application/problem+json", "application/*", "garbage", "", "application/json;;;",
                "application/octet-stream").next(random);
        mutations.add("content-type " + type);
        return type.isEmpty() ? null : type;
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bodies that are not a well-typed object: broken, truncated, nested, other JSON values, bytes. */
    private static Object rawBody(Random random, JsonNode valid) {
        String json = json(valid);
        return switch (random.nextInt(16)) {
            case 0 -> "";
            case 1 -> json.substring(0, random.nextInt(Math.max(1, json.length())));
            case 2 -> "[" + json + "]";
            case 3 -> elements("[]", "null", "true", "42", "\"text\"", "-0", "1e999", "{}", "{\"\":null}",
                    "\ufeff" + json, " ", "\n", "{} {}", json + json, json + "x").next(random);
            case 4 -> "[".repeat(ints(random, 500, 200_000));
            case 5 -> {
                int depth = ints(random, 900, 5000);
                yield "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            }
            case 6 -> elements("{'a':1}", "{a:1}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":1,}", "{\"a\":01}",
                    "{\"a\":.5}", "{\"a\":0x10}", "{\"a\":\"\\u00\"}", "{\"a\":\"\\x41\"}", "{/*c*/}", "{\"a\"}",
                    "{\"a\":\"\u0000\"}", "{\"a\":\"\n\"}").next(random);
            case 7 -> {
                byte[] bytes = new byte[ints(random, 1, 2000)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 8 -> {
                // invalid UTF-8 inside a string value
                byte[] head = json.substring(0, json.length() - 1).getBytes(StandardCharsets.UTF_8);
                byte[] tail = ",\"x\":\"\u00ff\u00fe\"}".getBytes(StandardCharsets.ISO_8859_1);
                byte[] both = Arrays.copyOf(head, head.length + tail.length);
                System.arraycopy(tail, 0, both, head.length, tail.length);
                yield both;
            }
            case 9 -> {
                // a duplicate key, the second with another type
                Iterator<String> names = valid.fieldNames();
                String name = names.hasNext() ? names.next() : "x";
                yield json.substring(0, json.length() - 1) + (json.length() > 2 ? "," : "") + "\"" + name
                        + "\":[1,{\"b\":null}]}";
            }
            case 10 -> "{\"a\":\"" + "\u00e9".repeat(600_000) + "\"}";
            case 11 -> "9".repeat(ints(random, 20, 5000));
            case 12 -> "{\"a\":" + "1".repeat(ints(random, 400, 3000)) + "}";
            case 13 -> "{\"a\":1e" + ints(random, 400, 1_000_000) + "}";
            case 14 -> "\"" + "\\u0000".repeat(ints(random, 1, 1000)) + "\"";
            default -> "{\"" + "k".repeat(ints(random, 100, 60_000)) + "\":1}";
        };
    }

    private static int ints(Random random, int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    /** A value valid for the schema (as far as the spec tells), with loopback-only URLs. */
    private JsonNode validValue(JsonNode schema, Random random, String field) {
        schema = resolve(schema);
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "string");
        switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                List<String> required = new ArrayList<>();
                schema.path("required").forEach(name -> required.add(name.asText()));
                schema.path("properties").fields().forEachRemaining(property -> {
                    if (required.contains(property.getKey()) || random.nextInt(3) != 0) {
                        object.set(property.getKey(), validValue(property.getValue(), random, property.getKey()));
                    }
                });
                return object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                int max = Math.min(3, schema.path("maxItems").asInt(3));
                int size = schema.path("minItems").asInt(0) + random.nextInt(Math.max(1, max + 1));
                for (int i = 0; i < Math.min(size, max); i++) {
                    array.add(validValue(schema.path("items"), random, field));
                }
                return array;
            }
            case "integer" -> {
                long min = schema.path("minimum").asLong(1);
                long max = schema.path("maximum").asLong(Math.max(min, 10));
                return NODES.numberNode(min + (long) (random.nextDouble() * Math.min(max - min + 1, 1000)));
            }
            case "number" -> {
                double min = schema.path("minimum").asDouble(0);
                double max = schema.path("maximum").asDouble(1);
                return NODES.numberNode(min + random.nextDouble() * (max - min));
            }
            case "boolean" -> {
                return NODES.booleanNode(random.nextBoolean());
            }
            default -> {
                return NODES.textNode(validString(schema, random, field));
            }
        }
    }

    private String validString(JsonNode schema, Random random, String field) {
        if (schema.has("enum")) {
            List<String> values = new ArrayList<>();
            schema.get("enum").forEach(value -> values.add(value.asText()));
            String value = elements(values).next(random);
            // the API's wire form is lower-case with hyphens; the upper-case spelling is accepted too
            return random.nextBoolean() ? value : value.toLowerCase().replace('_', '-');
        }
        String lower = field.toLowerCase();
        if (schema.path("format").asText().equals("uuid")) {
            return field.equals("conversationId") ? fixture.readIds().get("conversationId")
                    : UUID.randomUUID().toString();
        }
        if (schema.path("format").asText().equals("email") || lower.endsWith("email")) {
            return unique("fuzz") + "@example.com";
        }
        if (lower.contains("password")) {
            return "fuzz-password-" + random.nextInt(1000);
        }
        if (lower.contains("url") || lower.contains("origin")) {
            // never anything but this machine: the server may fetch it
            return elements(fixture.model().baseUrl(), "http://127.0.0.1:9/unreachable", "https://fuzz.example")
                    .next(random);
        }
        return switch (field) {
            case "language" -> elements("en", "auto", "pt-BR", "de").next(random);
            case "primaryColor" -> "#2563eb";
            case "type" -> elements("widget_open", "feedback", "link_clicked", "text", "faq", "url").next(random);
            case "value" -> elements("up", "down", "https://fuzz.example/page").next(random);
            case "endUserId" -> "fuzz-visitor-" + random.nextInt(5);
            case "message", "question", "content", "answer" -> elements("What does the DS-3 cost?", "Hello",
                    "# Title\n\nSome text about the DS-3.").next(random);
            case "refreshToken" -> UUID.randomUUID().toString();
            default -> {
                int max = schema.path("maxLength").asInt(40);
                int min = schema.path("minLength").asInt(1);
                yield "fuzz " + "x".repeat(Math.max(0, Math.min(max, min + random.nextInt(20)) - 5));
            }
        };
    }

    private JsonNode resolve(JsonNode schema) {
        while (schema.has("$ref")) {
            String name = schema.get("$ref").asText().substring("#/components/schemas/".length());
            schema = fixture.spec().path("components").path("schemas").path(name);
        }
        return schema;
    }

    /** Applies {@code count} field mutations to a copy of the valid object. */
    private JsonNode mutateFields(ObjectNode valid, JsonNode schema, Random random, List<String> mutations,
            int count) {
        ObjectNode copy = valid.deepCopy();
        for (int i = 0; i < count; i++) {
            mutateOne(copy, resolve(schema), random, mutations, "");
        }
        return copy;
    }

    private void mutateOne(ObjectNode object, JsonNode schema, Random random, List<String> mutations,
            String prefix) {
        List<String> names = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        if (names.isEmpty()) {
            names.add("x");
        }
        String name = elements(names).next(random);
        JsonNode propertySchema = resolve(schema.path("properties").path(name));
        // descend into a nested object now and then
        if (propertySchema.path("type").asText("object").equals("object") && propertySchema.has("properties")
                && random.nextBoolean()) {
            JsonNode nested = object.get(name);
            ObjectNode child = nested instanceof ObjectNode node ? node
                    : (ObjectNode) validValue(propertySchema, random, name);
            object.set(name, child);
            mutateOne(child, propertySchema, random, mutations, prefix + name + ".");
            return;
        }
        String what;
        switch (random.nextInt(9)) {
            case 0 -> {
                object.remove(name);
                what = "missing";
            }
            case 1 -> {
                String extra = elements("extra", "id", "companyId", "role", "__proto__", "constructor", "@class",
                        "", "\u0000", "createdAt", "apiKey").next(random);
                object.set(extra, wrongValue(random));
                what = "extra field " + extra;
                name = extra;
            }
            case 2 -> {
                object.put(name, Fuzz.hugeStrings().next(random));
                what = "1 MB string";
            }
            case 3, 4 -> {
                object.put(name, Fuzz.nastyStrings(300).next(random));
                what = "odd string";
            }
            case 5 -> {
                object.set(name, numberOutOfRange(random));
                what = "number out of range";
            }
            case 6 -> {
                ArrayNode array = NODES.arrayNode();
                array.add(wrongValue(random));
                if (propertySchema.path("type").asText().equals("array")) {
                    for (int i = 0; i < ints(random, 1, 120); i++) {
                        array.add(validValue(propertySchema.path("items"), random, name));
                    }
                    what = "long or mixed array";
                } else {
                    what = "array instead of value";
                }
                object.set(name, array);
            }
            default -> {
                object.set(name, wrongValue(random));
                what = "wrong type";
            }
        }
        mutations.add(prefix + name + ": " + what);
    }

    private static JsonNode wrongValue(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt());
            case 3 -> NODES.numberNode(random.nextDouble() * 1e6);
            case 4 -> NODES.objectNode().put("a", 1);
            case 5 -> NODES.arrayNode().add("a");
            case 6 -> NODES.textNode(Fuzz.nastyStrings(50).next(random));
            case 7 -> NODES.textNode(UUID.randomUUID().toString());
            default -> numberOutOfRange(random);
        };
    }

    private static JsonNode numberOutOfRange(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> NODES.numberNode(2147483648L);
            case 1 -> NODES.numberNode(-2147483649L);
            case 2 -> NODES.numberNode(Long.MAX_VALUE);
            case 3 -> NODES.numberNode(new java.math.BigInteger("9".repeat(40)));
            case 4 -> NODES.numberNode(-1);
            case 5 -> NODES.numberNode(0);
            case 6 -> NODES.numberNode(1e308);
            default -> NODES.numberNode(new java.math.BigDecimal("1E+400"));
        };
    }

    // ---------------------------------------------------------------------------------------------------------------
    // generators: uploads

    private static final String BOUNDARY = "fuzz-boundary-7d3c";
    private static final String MULTIPART_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private record Part(String name, String filename, String contentType, byte[] content) {
    }

    private static Part filePart(String filename, String contentType, byte[] content) {
        return new Part("file", filename, contentType, content);
    }

    private Gen<FuzzRequest> upload(String path) {
        return random -> {
            List<String> mutations = new ArrayList<>();
            byte[] content = fileContent(random, mutations);
            String filename = frequency(
                    weight(4, elements("manual.pdf", "guide.docx", "page.html", "notes.md", "notes.txt", "data.csv",
                            "image.png", "archive.zip", "noextension", ".pdf", "a.PDF", "x.docx.exe", "x.txt.pdf")),
                    weight(2, elements("../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/shadow", "C:\\x.pdf",
                            "a/b/../c.txt", "\u0000.pdf", "nul", "con.txt", "a\r\nContent-Type: text/html.txt",
                            "\u202etxt.exe", "x\".pdf", "", " ", "%2e%2e%2f.txt", "\ud83d\ude00.md")),
                    weight(1, random1 -> "f".repeat(ints(random1, 200, 20_000)) + ".txt")).next(random);
            mutations.add("filename " + Fuzz.abbreviate(filename, 60));
            String partType = elements("application/pdf", "text/plain", "text/html", "text/markdown",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip",
                    "image/png", "application/octet-stream", "", "garbage").next(random);
            List<Part> parts = new ArrayList<>();
            switch (random.nextInt(12)) {
                case 0 -> {
                    parts.add(new Part("notfile", filename, partType, content));
                    mutations.add("no file part");
                }
                case 1 -> {
                    parts.add(filePart(filename, partType, content));
                    parts.add(filePart("second.txt", "text/plain", "second".getBytes(StandardCharsets.UTF_8)));
                    mutations.add("two files");
                }
                case 2 -> {
                    parts.add(new Part("file", null, partType, content));
                    mutations.add("file part without a filename");
                }
                default -> parts.add(filePart(filename, partType, content));
            }
            if (random.nextInt(5) == 0) {
                String title = Fuzz.nastyStrings(800).next(random);
                parts.add(new Part("title", null, null, title.getBytes(StandardCharsets.UTF_8)));
                mutations.add("title " + Fuzz.abbreviate(title, 40));
            }
            if (random.nextInt(6) == 0) {
                String externalId = Fuzz.nastyStrings(800).next(random);
                parts.add(new Part("externalId", null, null, externalId.getBytes(StandardCharsets.UTF_8)));
                mutations.add("externalId");
            }
            byte[] body = multipart(parts);
            String contentType = MULTIPART_TYPE;
            switch (random.nextInt(14)) {
                case 0 -> {
                    body = Arrays.copyOf(body, random.nextInt(body.length));
                    mutations.add("truncated multipart");
                }
                case 1 -> {
                    contentType = "multipart/form-data";
                    mutations.add("no boundary");
                }
                case 2 -> {
                    contentType = "multipart/form-data; boundary=other";
                    mutations.add("wrong boundary");
                }
                case 3 -> {
                    contentType = elements("multipart/mixed; boundary=" + BOUNDARY, "application/octet-stream",
                            "text/plain").next(random);
                    mutations.add("content-type " + contentType);
                }
                default -> {
                }
            }
            List<String> headers = List.of("Accept", "application/json");
            return new FuzzRequest("POST", path, Caller.COMPANY_ADMIN, fixture.companyAdminToken(), headers, body,
                    contentType, String.join("; ", mutations));
        };
    }

    private static byte[] fileContent(Random random, List<String> mutations) {
        byte[] pdf = TestDocuments.pdf("Fuzz page one\nThe DS-3 costs 120 euros.", "Page two");
        byte[] docx = TestDocuments.docx("Fuzz paragraph", "The DS-3 costs 120 euros.");
        switch (random.nextInt(13)) {
            case 0 -> {
                mutations.add("empty");
                return new byte[0];
            }
            case 1 -> {
                byte[] bytes = new byte[ints(random, 1, 20_000)];
                random.nextBytes(bytes);
                mutations.add("random bytes");
                return bytes;
            }
            case 2 -> {
                mutations.add("truncated PDF");
                return Arrays.copyOf(pdf, ints(random, 1, pdf.length - 1));
            }
            case 3 -> {
                mutations.add("truncated DOCX");
                return Arrays.copyOf(docx, ints(random, 1, docx.length - 1));
            }
            case 4 -> {
                mutations.add("corrupted PDF");
                return corrupt(pdf, random);
            }
            case 5 -> {
                mutations.add("corrupted DOCX");
                return corrupt(docx, random);
            }
            case 6 -> {
                mutations.add("zip bomb (lite)");
                return Fuzz.zipBomb(random.nextBoolean());
            }
            case 7 -> {
                mutations.add("odd HTML");
                return elements("<html><body>", "<", "<!DOCTYPE html><html><head><title>\u0000</title></head>",
                        "<div>" + "<div>".repeat(20_000) + "deep" + "</div>".repeat(20_000),
                        "<h1>" + "x".repeat(100_000) + "</h1>", "<script>alert(1)</script>",
                        "<html><body><table>" + "<tr><td>a</td></tr>".repeat(5000) + "</table></body></html>",
                        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")
                        .next(random).getBytes(StandardCharsets.UTF_8);
            }
            case 8 -> {
                mutations.add("odd text");
                return Fuzz.nastyStrings(3000).next(random).getBytes(StandardCharsets.UTF_8);
            }
            case 9 -> {
                mutations.add("UTF-16 or invalid UTF-8 text");
                return random.nextBoolean() ? "Fuzz text in UTF-16".getBytes(StandardCharsets.UTF_16)
                        : new byte[] {(byte) 0xc3, 0x28, (byte) 0xa0, (byte) 0xa1, (byte) 0xff, 'h', 'i'};
            }
            case 10 -> {
                mutations.add("PDF header only");
                return "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<<".getBytes(StandardCharsets.ISO_8859_1);
            }
            case 11 -> {
                mutations.add("valid PDF");
                return pdf;
            }
            default -> {
                mutations.add("valid text");
                return ("Fuzz upload " + random.nextLong()).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    private static byte[] corrupt(byte[] document, Random random) {
        byte[] copy = document.clone();
        for (int i = 0; i < ints(random, 1, 50); i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private static byte[] multipart(List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            StringBuilder head = new StringBuilder("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\""
                    + part.name() + "\"");
            if (part.filename() != null) {
                head.append("; filename=\"").append(part.filename()).append('"');
            }
            head.append("\r\n");
            if (part.contentType() != null && !part.contentType().isEmpty()) {
                head.append("Content-Type: ").append(part.contentType()).append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(part.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
