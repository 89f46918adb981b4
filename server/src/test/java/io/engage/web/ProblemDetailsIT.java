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
}
