package io.engage.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import io.engage.support.TestDocuments;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Knowledge sources end to end: add (JSON, multipart, URL), background ingestion, status, search, delete, sync. */
class KnowledgeIT extends IntegrationTest {

    private HttpServer site;

    @AfterEach
    void stopSite() {
        if (site != null) {
            site.stop(0);
        }
    }

    private record Agent(TestCompany company, String id) {
        String path() {
            return "/company/agents/" + id;
        }
    }

    private Agent newAgent() {
        TestCompany company = signup();
        return new Agent(company, createAgent(company.token(), Map.of("name", "Helper")).get("id").asText());
    }

    private JsonNode waitUntilDone(Agent agent, String sourceId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode source = api.get(agent.path() + "/knowledge/" + sourceId, agent.company().token()).json();
            String status = source.get("status").asText();
            if (status.equals("ready") || status.equals("failed")) {
                return source;
            }
            sleep(100);
        }
        throw new AssertionError("Source " + sourceId + " did not finish ingesting");
    }

    private String addJson(Agent agent, Map<String, ?> body) {
        Api.Response response = api.post(agent.path() + "/knowledge", agent.company().token(), body);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(response.json().get("status").asText()).isEqualTo("queued");
        return response.json().get("sourceId").asText();
    }

    private Api.Response upload(String path, String token, String filename, byte[] content, String contentType) {
        try {
            String boundary = "engage-" + UUID.randomUUID();
            var body = new java.io.ByteArrayOutputStream();
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                    + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(content);
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
            HttpResponse<String> response = api.http().send(request, HttpResponse.BodyHandlers.ofString());
            return new Api.Response(response.statusCode(),
                    Map.of("content-type", response.headers().firstValue("content-type").orElse("")), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> searchTexts(Agent agent, String query) {
        Api.Response response = api.get("/rag/agents/" + agent.id() + "/search?k=3&q="
                + java.net.URLEncoder.encode(query, StandardCharsets.UTF_8), agent.company().token());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("results").findValuesAsText("text");
    }

    @Test
    void textAndFaqAreIngestedInTheBackgroundAndFound() {
        Agent agent = newAgent();
        String text = addJson(agent, Map.of("type", "text", "title", "Shipping policy", "content", """
                # Shipping
                We ship to all countries in the European Union within 3 business days.

                ## Returns
                Unused items can be returned within 30 days for a full refund.
                """));
        String faq = addJson(agent, Map.of("type", "faq", "question", "Do you offer gift wrapping?",
                "answer", "Yes, gift wrapping costs 4 euros per item."));
        JsonNode textSource = waitUntilDone(agent, text);
        assertThat(textSource.get("status").asText()).as(textSource.toString()).isEqualTo("ready");
        assertThat(textSource.get("chunkCount").asInt()).isPositive();
        assertThat(textSource.get("title").asText()).isEqualTo("Shipping policy");
        assertThat(waitUntilDone(agent, faq).get("status").asText()).isEqualTo("ready");

        assertThat(searchTexts(agent, "how long do I have to send something back?").get(0)).contains("30 days");
        assertThat(searchTexts(agent, "can you wrap my present").get(0)).contains("gift wrapping costs 4 euros");
        JsonNode hit = api.get("/rag/agents/" + agent.id() + "/search?q=refund", agent.company().token()).json()
                .at("/results/0");
        assertThat(hit.get("sourceId").asText()).isEqualTo(text);
        assertThat(hit.get("chunkId").asText()).isNotBlank();
        assertThat(hit.get("title").asText()).isEqualTo("Shipping policy");
        assertThat(hit.get("score").asDouble()).isPositive();
        assertThat(hit.get("similarity").asDouble()).isBetween(0.0, 1.0);
    }

    /** The first additions to a new agent bump its knowledge version at the same time (PostgreSQL once gave 500). */
    @Test
    void simultaneousFirstAdditionsToNewAgentsAllSucceed() throws Exception {
        for (int round = 0; round < 4; round++) {
            Agent agent = newAgent();
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(3);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                List<java.util.concurrent.Future<Api.Response>> sent = new java.util.ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    String content = "Fact number " + i + " about the lighthouse keeper's cat.";
                    sent.add(pool.submit(() -> {
                        start.await();
                        return api.post("/rag/agents/" + agent.id() + "/index", agent.company().token(),
                                Map.of("type", "text", "content", content));
                    }));
                }
                for (java.util.concurrent.Future<Api.Response> response : sent) {
                    assertThat(response.get().status()).as(response.get().toString()).isEqualTo(201);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(searchTexts(agent, "lighthouse keeper cat")).hasSize(3);
        }
    }

    @Test
    void filesOfEverySupportedTypeAreIngested() {
        Agent agent = newAgent();
        String token = agent.company().token();
        String path = agent.path() + "/knowledge";
        Map<String, String> uploads = Map.of(
                upload(path, token, "manual.pdf", TestDocuments.pdf(
                        "Resetting the router: hold the red button for ten seconds.",
                        "The warranty covers hardware faults for two years."), "application/pdf")
                        .json().get("sourceId").asText(), "warranty covers hardware faults",
                upload(path, token, "handbook.docx", TestDocuments.docx("Onboarding",
                        "New employees receive a laptop on their first day."),
                        "application/octet-stream").json().get("sourceId").asText(), "receive a laptop",
                upload(path, token, "page.html", """
                        <html><head><title>Opening hours</title></head><body><nav>Home | About</nav>
                        <main><h1>Opening hours</h1><p>The shop is open from 9am to 6pm on weekdays.</p></main>
                        <footer>Copyright</footer></body></html>""".getBytes(StandardCharsets.UTF_8), "text/html")
                        .json().get("sourceId").asText(), "open from 9am to 6pm",
                upload(path, token, "notes.md", "# Parking\n\nVisitors park for free in the basement garage.\n"
                        .getBytes(StandardCharsets.UTF_8), "text/markdown").json().get("sourceId").asText(),
                "park for free");
        for (Map.Entry<String, String> upload : uploads.entrySet()) {
            JsonNode source = waitUntilDone(agent, upload.getKey());
            assertThat(source.get("status").asText()).as(source.toString()).isEqualTo("ready");
            assertThat(source.get("type").asText()).isEqualTo("file");
        }
        assertThat(searchTexts(agent, "how long is the warranty").get(0)).contains("two years");
        assertThat(searchTexts(agent, "laptop for new hires").get(0)).contains("laptop");
        assertThat(searchTexts(agent, "when are you open").get(0)).contains("9am to 6pm").doesNotContain("Copyright");
        assertThat(searchTexts(agent, "where can visitors park").get(0)).contains("basement garage");
    }

    @Test
    void webPagesAreFetchedAndTheirMainTextIndexed() throws IOException {
        site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/pricing", exchange -> {
            byte[] page = """
                    <html><head><title>Pricing</title></head><body><header>Menu</header>
                    <article><h1>Pricing</h1><p>The Team plan costs 12 dollars per user per month.</p></article>
                    </body></html>""".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        site.start();
        Agent agent = newAgent();
        String url = "http://127.0.0.1:" + site.getAddress().getPort() + "/pricing";
        JsonNode source = waitUntilDone(agent, addJson(agent, Map.of("type", "url", "url", url)));
        assertThat(source.get("status").asText()).as(source.toString()).isEqualTo("ready");
        assertThat(source.get("title").asText()).isEqualTo("Pricing");
        assertThat(source.get("url").asText()).isEqualTo(url);
        assertThat(searchTexts(agent, "how much is the team plan").get(0)).contains("12 dollars");

        String gone = "http://127.0.0.1:" + site.getAddress().getPort() + "/no-such-page";
        JsonNode missing = waitUntilDone(agent, addJson(agent, Map.of("type", "url", "url", gone)));
        assertThat(missing.get("status").asText()).isEqualTo("failed");
        assertThat(missing.get("error").asText()).contains("404");
    }

    @Test
    void badUploadsAreRefusedClearlyAndCorruptFilesFailWithAReason() {
        Agent agent = newAgent();
        String token = agent.company().token();
        String path = agent.path() + "/knowledge";
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        assertProblem(upload(path, token, "logo.png", png, "image/png"), 415);
        assertProblem(upload(path, token, "empty.txt", new byte[0], "text/plain"), 422);
        assertProblem(upload(path, token, "huge.txt", new byte[21 * 1024 * 1024], "text/plain"), 413);
        assertProblem(api.post(path, token, Map.of("type", "text", "content", " ")), 422);
        assertProblem(api.post(path, token, Map.of("type", "faq", "question", "Why?")), 422);
        assertProblem(api.post(path, token, Map.of("type", "url", "url", "file:///etc/passwd")), 422);
        assertProblem(api.post(path, token, Map.of("type", "file")), 422);
        assertProblem(api.post(path, token, Map.of("type", "video", "content", "x")), 400);

        byte[] corrupt = "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without end".getBytes(StandardCharsets.UTF_8);
        String sourceId = upload(path, token, "broken.pdf", corrupt, "application/pdf").json().get("sourceId").asText();
        JsonNode failed = waitUntilDone(agent, sourceId);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("at org.");
        // nothing else was affected
        String fine = addJson(agent, Map.of("type", "text", "content", "Our office dog is called Biscuit."));
        assertThat(waitUntilDone(agent, fine).get("status").asText()).isEqualTo("ready");
    }

    @Test
    void sameContentIsDeduplicatedAndDeletionRemovesItFromSearch() {
        Agent agent = newAgent();
        Map<String, String> body = Map.of("type", "text", "content", "The secret ingredient is cardamom.");
        String first = addJson(agent, body);
        Api.Response again = api.post(agent.path() + "/knowledge", agent.company().token(), body);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("sourceId").asText()).isEqualTo(first);
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        waitUntilDone(agent, first);
        assertThat(searchTexts(agent, "secret ingredient")).anySatisfy(t -> assertThat(t).contains("cardamom"));
        assertThat(api.get(agent.path() + "/knowledge", agent.company().token()).json().get("items").size())
                .isEqualTo(1);

        assertThat(api.delete(agent.path() + "/knowledge/" + first, agent.company().token()).status()).isEqualTo(204);
        assertThat(searchTexts(agent, "secret ingredient")).isEmpty();
        assertProblem(api.get(agent.path() + "/knowledge/" + first, agent.company().token()), 404);
    }

    @Test
    void ragIndexIsSynchronousAndReturnsChunkCounts() {
        Agent agent = newAgent();
        String token = agent.company().token();
        Api.Response indexed = api.post("/rag/agents/" + agent.id() + "/index", token,
                Map.of("type", "text", "title", "Support hours", "content", "Support answers chats from 8am to 8pm."));
        assertThat(indexed.status()).as(indexed.toString()).isEqualTo(201);
        assertThat(indexed.json().get("status").asText()).isEqualTo("ready");
        assertThat(indexed.json().get("chunkCount").asInt()).isEqualTo(1);
        // searchable at once, no waiting
        assertThat(searchTexts(agent, "when is support available").get(0)).contains("8am to 8pm");

        Api.Response corrupt = upload("/rag/agents/" + agent.id() + "/index", token, "x.pdf",
                "%PDF-1.4 not really".getBytes(StandardCharsets.UTF_8), "application/pdf");
        assertProblem(corrupt, 422);
        assertThat(corrupt.json().get("sourceId").asText()).isNotBlank();
        assertProblem(api.get("/rag/agents/" + agent.id() + "/search?q=%20", token), 400);
        assertProblem(api.get("/rag/agents/" + agent.id() + "/search?q=x&k=500", token), 400);
    }

    @Test
    void controlCharactersInAnFaqAnswerAreDroppedInsteadOfFailingItsIngestion() {
        // PostgreSQL's text cannot hold U+0000: stored as it came, the answer's chunk failed to insert on every
        // attempt, and the synchronous index answered with an error while its source stayed behind (found by FuzzIT)
        Agent agent = newAgent();
        String token = agent.company().token();
        Api.Response indexed = api.post("/rag/agents/" + agent.id() + "/index", token, Map.of("type", "faq",
                "question", "What does the DS-3 cost?",
                "answer", "It\u0000 costs\u0007 49\u001B euros,\nshipping included."));
        assertThat(indexed.status()).as(indexed.toString()).isEqualTo(201);
        assertThat(indexed.json().get("chunkCount").asInt()).isEqualTo(1);
        assertThat(searchTexts(agent, "DS-3 price").get(0))
                .isEqualTo("Q: What does the DS-3 cost?\nA: It costs 49 euros,\nshipping included.");
    }

    @Test
    void aSourceWhoseChunksTheDatabaseRefusesFailsAtOnceWithItsIdAndTheOthersAreStored() {
        // the database refusing a row for good (a constraint, a value it cannot hold) used to leave the source
        // behind: the synchronous index answered 409, and the source was retried by lease expiry, then failed as
        // "interrupted"; a constraint added for this test stands in for such a refusal on H2 and PostgreSQL alike
        Agent agent = newAgent();
        String token = agent.company().token();
        String marker = unique("refused");
        jdbc.sql("ALTER TABLE knowledge_chunks ADD CONSTRAINT refused_by_test CHECK (text NOT LIKE '%" + marker
                + "%')").update();
        try {
            Api.Response refused = api.post("/rag/agents/" + agent.id() + "/index", token,
                    Map.of("type", "text", "title", "Refused", "content", "This text holds " + marker + "."));
            assertProblem(refused, 422);
            String sourceId = refused.json().get("sourceId").asText();
            JsonNode source = api.get(agent.path() + "/knowledge/" + sourceId, token).json();
            assertThat(source.get("status").asText()).isEqualTo("failed");
            assertThat(source.get("error").asText()).isEqualTo("Internal error while storing this source");

            // in the background, a batch with the refused source stores the others
            String refusedLater = addJson(agent, Map.of("type", "text", "title", "Refused again",
                    "content", "Again " + marker + "."));
            String accepted = addJson(agent, Map.of("type", "text", "title", "Hours",
                    "content", "The shop opens at nine and closes at six."));
            assertThat(waitUntilDone(agent, refusedLater).get("status").asText()).isEqualTo("failed");
            assertThat(waitUntilDone(agent, accepted).get("status").asText()).isEqualTo("ready");
            assertThat(searchTexts(agent, "when does the shop open")).first().asString().contains("nine");
        } finally {
            jdbc.sql("ALTER TABLE knowledge_chunks DROP CONSTRAINT refused_by_test").update();
        }
    }

    @Test
    void fullSyncAddsUpdatesKeepsAndRemovesByExternalId() {
        Agent agent = newAgent();
        String token = agent.company().token();
        String path = "/rag/agents/" + agent.id() + "/knowledge";
        JsonNode first = api.put(path, token, Map.of("documents", List.of(
                Map.of("externalId", "kb-1", "title", "Colors", "content", "The sofa comes in green and blue."),
                Map.of("externalId", "kb-2", "title", "Legs", "content", "The sofa legs are made of oak."),
                Map.of("externalId", "kb-3", "title", "Delivery", "content", "Sofas are delivered by two people."))))
                .json();
        assertThat(first.get("added").asInt()).isEqualTo(3);
        first.get("sources").forEach(s -> waitUntilDone(agent, s.get("id").asText()));

        JsonNode second = api.put(path, token, Map.of("documents", List.of(
                Map.of("externalId", "kb-1", "title", "Colors", "content", "The sofa comes in green and blue."),
                Map.of("externalId", "kb-2", "title", "Legs", "content", "The sofa legs are made of walnut.")))).json();
        assertThat(second.get("added").asInt()).isZero();
        assertThat(second.get("unchanged").asInt()).isEqualTo(1);
        assertThat(second.get("updated").asInt()).isEqualTo(1);
        assertThat(second.get("removed").asInt()).isEqualTo(1);
        second.get("sources").forEach(s -> waitUntilDone(agent, s.get("id").asText()));

        assertThat(searchTexts(agent, "what wood are the legs")).first().asString().contains("walnut");
        assertThat(String.join(" ", searchTexts(agent, "who delivers the sofa"))).doesNotContain("two people");
        assertProblem(api.put(path, token, Map.of("documents", List.of(Map.of("externalId", "x")))), 422);
        assertProblem(api.put(path, token, Map.of("documents", List.of(
                Map.of("externalId", "a", "content", "1"), Map.of("externalId", "a", "content", "2")))), 422);
    }

    @Test
    void interruptedJobsAreResumedAndRepeatedlyInterruptedOnesFail() {
        Agent agent = newAgent();
        String sourceId = addJson(agent, Map.of("type", "text", "content", "Llamas hum when they are curious."));
        waitUntilDone(agent, sourceId);
        // simulate a node that died while ingesting: status parsing, lease expired, content still stored
        jdbc.sql("UPDATE knowledge_sources SET status = 'parsing', lease_owner = 'dead-node', attempts = 1, "
                + "lease_until = ? WHERE id = ?")
                .params(java.time.OffsetDateTime.now().minusMinutes(5), UUID.fromString(sourceId)).update();
        JsonNode resumed = waitUntilDone(agent, sourceId);
        assertThat(resumed.get("status").asText()).isEqualTo("ready");

        String doomed = addJson(agent, Map.of("type", "text", "content", "Alpacas are smaller than llamas."));
        waitUntilDone(agent, doomed);
        jdbc.sql("UPDATE knowledge_sources SET status = 'indexing', lease_owner = 'dead-node', attempts = 3, "
                + "lease_until = ? WHERE id = ?")
                .params(java.time.OffsetDateTime.now().minusMinutes(5), UUID.fromString(doomed)).update();
        JsonNode failed = waitUntilDone(agent, doomed);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).contains("interrupted 3 times");
    }

    @Test
    void membersReadButDoNotChangeKnowledge() {
        Agent agent = newAgent();
        String email = unique("member") + "@example.com";
        api.post("/company/users", agent.company().token(),
                Map.of("email", email, "password", PASSWORD, "role", "COMPANY_MEMBER"));
        String member = login("/company/login", email, PASSWORD);
        assertThat(api.get(agent.path() + "/knowledge", member).status()).isEqualTo(200);
        assertThat(api.get("/rag/agents/" + agent.id() + "/search?q=x", member).status()).isEqualTo(200);
        assertProblem(api.post(agent.path() + "/knowledge", member, Map.of("type", "text", "content", "x")), 403);
        assertProblem(api.post("/rag/agents/" + agent.id() + "/index", member, Map.of("type", "text",
                "content", "x")), 403);
        assertProblem(api.put("/rag/agents/" + agent.id() + "/knowledge", member, Map.of("documents", List.of())),
                403);
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
