package io.engage.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input of every kind gets a clear 4xx problem+json, never a 500 or a stack trace. */
class ProblemDetailsIT extends IntegrationTest {

    @Test
    void malformedJsonIs400WithWhereItBroke() {
        TestCompany company = signup();
        Api.Response response = api.send("POST", "/company/agents", company.token(), "{\"name\": \"x\",", "application/json");
        assertProblem(response, 400);
        assertThat(response.json().get("detail").asText()).contains("line 1");
        assertThat(response.json().get("requestId").asText()).isNotBlank();
        assertThat(response.json().get("instance").asText()).isEqualTo("/company/agents");
    }

    @Test
    void wrongJsonTypesNameTheField() {
        TestCompany company = signup();
        Api.Response response = api.send("POST", "/company/agents", company.token(),
                "{\"name\": \"x\", \"retrieval\": {\"topK\": \"many\"}}", "application/json");
        assertProblem(response, 400);
        assertThat(response.json().get("detail").asText()).isEqualTo("retrieval.topK: expected a number");
        assertProblem(api.send("POST", "/company/agents", company.token(), "[1,2]", "application/json"), 400);
        assertProblem(api.send("POST", "/company/agents", company.token(), "", "application/json"), 400);
    }

    @Test
    void wrongContentTypeIs415() {
        TestCompany company = signup();
        assertProblem(api.send("POST", "/company/agents", company.token(), "name=x",
                "application/x-www-form-urlencoded"), 415);
        assertProblem(api.send("POST", "/company/agents", company.token(), "name", "text/plain"), 415);
    }

    @Test
    void tooLargeBodiesAre413WhetherDeclaredOrStreamed() {
        TestCompany company = signup();
        String huge = "{\"name\": \"x\", \"description\": \"" + "a".repeat(1_200_000) + "\"}";
        assertProblem(api.send("POST", "/company/agents", company.token(), huge, "application/json"), 413);
        // without a Content-Length (chunked), the body is counted while read
        Api.Response chunked = postChunked("/company/agents", company.token(), huge);
        assertProblem(chunked, 413);
        assertThat(api.get("/company/agents", company.token()).json().get("items")).isEmpty();
    }

    private Api.Response postChunked(String path, String token, String body) {
        try {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.baseUrl() + path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(body.getBytes())))
                    .build();
            var response = api.http().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Api.Response(response.statusCode(),
                    Map.of("content-type", response.headers().firstValue("content-type").orElse("")),
                    response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void unknownIdsAndRoutesAre404AndBadParametersAre400() {
        TestCompany company = signup();
        assertProblem(api.get("/company/agents/" + java.util.UUID.randomUUID(), company.token()), 404);
        assertProblem(api.get("/company/agents/not-a-uuid", company.token()), 400);
        assertProblem(api.get("/company/no-such-thing", company.token()), 404);
        assertProblem(api.get("/company/agents?limit=0", company.token()), 400);
        assertProblem(api.get("/company/agents?limit=abc", company.token()), 400);
        assertProblem(api.get("/company/agents?cursor=@@@", company.token()), 400);
        assertProblem(api.get("/company/agents?cursor=bm90LWEtdXVpZA", company.token()), 400);
    }

    @Test
    void wrongMethodIs405() {
        TestCompany company = signup();
        Api.Response response = api.send("PATCH", "/company/agents", company.token(), "{}", "application/json");
        assertProblem(response, 405);
        assertThat(response.header("Allow")).contains("GET").contains("POST");
    }

    @Test
    void containerLevelErrorsAreProblemsToo() {
        // rejected by Tomcat before Spring MVC sees it
        Api.Response response = api.send("GET", "/company/agents/%2e%2e%5c", null, null, null);
        assertThat(response.status()).isBetween(400, 404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body()).doesNotContain("Exception", "<html");
    }

    @Test
    void requestIdsAreEchoed() {
        Api.Response response = api.send("GET", "/actuator/health", null, null, null, "X-Request-Id", "trace-12345678");
        assertThat(response.header("X-Request-Id")).isEqualTo("trace-12345678");
        Api.Response generated = api.get("/actuator/health", null);
        assertThat(generated.header("X-Request-Id")).hasSize(36);
    }

    // ---- found by FuzzIT

    @Test
    void parserMessagesNameNeitherJavaTypesNorParserSettings() {
        TestCompany company = signup();
        Map<String, String> bodies = Map.of(
                "[{\"name\": \"x\"}]", "The request body must be an object",
                "\"\"", "The request body must be an object",
                "{\"x\": " + "[".repeat(1500), "Document nesting depth (1001) exceeds the maximum allowed (1000)",
                "{\"name\": " + "1".repeat(1500) + "}",
                "Number value length (1500) exceeds the maximum allowed (1000)",
                "{\"name\": \"x\"", "Unexpected end-of-input");
        bodies.forEach((body, detail) -> {
            Api.Response response = api.send("POST", "/company/agents", company.token(), body, "application/json");
            assertProblem(response, 400);
            assertThat(response.json().get("detail").asText()).as(body).contains(detail)
                    .doesNotContain("`", "io.engage", "Source", "StreamRead", "Constraints");
        });
    }

    @Test
    void aRepeatedKeyIs400NotAServerError() {
        TestCompany company = signup();
        Api.Response response = api.send("POST", "/company/agents", company.token(),
                "{\"name\": \"a\", \"name\": [1]}", "application/json");
        assertProblem(response, 400);
        assertThat(response.json().get("detail").asText()).contains("Duplicate field 'name'");
        assertThat(api.get("/company/agents", company.token()).json().get("items")).isEmpty();
    }

    @Test
    void malformedMultipartIs400NotAServerError() {
        TestAgent agent = newAgent(Map.of());
        String part = "--b0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nText";
        Api.Response truncated = api.send("POST", agent.path() + "/knowledge", agent.token(), part,
                "multipart/form-data; boundary=b0");
        assertProblem(truncated, 400);
        assertThat(truncated.json().get("detail").asText()).contains("multipart/form-data");
        assertProblem(api.send("POST", agent.path() + "/knowledge", agent.token(), part, "multipart/form-data"), 400);
        // on an endpoint that takes no body at all, too
        assertProblem(api.send("DELETE", "/company/agents/" + java.util.UUID.randomUUID(), agent.token(), part,
                "multipart/form-data"), 400);
        assertThat(api.get(agent.path() + "/knowledge", agent.token()).json().get("items")).isEmpty();
    }

    @Test
    void aMalformedFormBodyIsNotAServerError() {
        TestCompany company = signup();
        for (String method : java.util.List.of("DELETE", "PUT", "PATCH")) {
            Api.Response response = api.send(method, "/company/agents/" + java.util.UUID.randomUUID(),
                    company.token(), "a=%zz&%c3%28", "application/x-www-form-urlencoded");
            assertThat(response.status()).as(method + " " + response).isBetween(400, 499);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void searchingForControlCharactersIsNotAServerError() {
        TestAgent agent = newAgent(Map.of());
        String rag = "/rag/agents/" + agent.id();
        assertThat(api.post(rag + "/index", agent.token(), Map.of("type", "text", "content", "Returns are free."))
                .status()).isEqualTo(201);
        for (String q : java.util.List.of("%01", "%01%02%1B", "%00", "%C2%85", "%E2%80%8B", "%CC%81")) {
            Api.Response widget = api.send("GET", "/agent/search?q=" + q, null, null, null, "X-Engage-Key",
                    agent.key());
            assertThat(widget.status()).as(q + " " + widget).isIn(200, 400);
            Api.Response company = api.get(rag + "/search?q=" + q, agent.token());
            assertThat(company.status()).as(q + " " + company).isIn(200, 400);
        }
    }

    @Test
    void formParametersTheFirewallRejectsAre400() {
        Api.Response response = api.send("POST", "/company/login", null, "a%01b=1&c=%02",
                "application/x-www-form-urlencoded");
        assertProblem(response, 400);
    }

    @Test
    void aWildcardContentTypeIs415NotAServerError() {
        Api.Response response = api.send("POST", "/auth/logout", null, "{\"refreshToken\": \"x\"}", "application/*");
        assertProblem(response, 415);
        assertProblem(api.send("POST", "/auth/refresh", null, "{\"refreshToken\": \"x\"}", "*/*"), 415);
    }

    @Test
    void anAcceptHeaderThatRulesOutJsonIsRefusedBeforeTheRequestTakesEffect() {
        TestAgent agent = newAgent(Map.of());
        String keys = api.get(agent.path() + "/keys", agent.token()).body();
        // rotating the key would revoke the old one and the client would never see the new one
        assertProblem(api.send("POST", agent.path() + "/keys", agent.token(), null, null, "Accept", "application/xml"),
                406);
        assertThat(api.get(agent.path() + "/keys", agent.token()).body()).isEqualTo(keys);
        assertThat(api.send("GET", "/agent/config", null, null, null, "X-Engage-Key", agent.key()).status())
                .isEqualTo(200);
        // an Accept header that cannot be parsed is refused the same way, and the problem still has its body
        assertProblem(api.send("POST", agent.path() + "/keys", agent.token(), null, null, "Accept", "garbage"), 406);
        assertThat(api.get(agent.path() + "/keys", agent.token()).body()).isEqualTo(keys);
        // errors are problem+json whatever the client accepts; answers without a body need no acceptable type
        assertProblem(api.send("DELETE", agent.path() + "/keys/" + java.util.UUID.randomUUID(), agent.token(), null,
                null, "Accept", "text/html"), 404);
        assertProblem(api.send("GET", "/company/agents/" + java.util.UUID.randomUUID(), agent.token(), null, null,
                "Accept", "image/png"), 406);
    }
}
