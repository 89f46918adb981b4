package io.engage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import org.junit.jupiter.api.Test;

/** Health, metrics, OpenAPI, and the front ends packed into the jar. */
class PlatformIT extends IntegrationTest {

    @Test
    void healthIsUpAndProbesExist() {
        assertThat(api.get("/actuator/health", null).json().get("status").asText()).isEqualTo("UP");
        assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
        assertThat(api.get("/actuator/prometheus", null).body()).contains("http_server_requests");
    }

    @Test
    void openApiDescribesTheApi() {
        JsonNode doc = api.get("/v3/api-docs", null).json();
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        JsonNode paths = doc.get("paths");
        assertThat(paths.has("/admin/login")).isTrue();
        assertThat(paths.has("/admin/companies")).isTrue();
        assertThat(paths.has("/company/agents/{agentId}")).isTrue();
        assertThat(paths.has("/company/agents/{agentId}/keys/{keyId}")).isTrue();
        assertThat(paths.has("/auth/refresh")).isTrue();
        assertThat(paths.at("/~1agent~1search/get/parameters").findValuesAsText("name")).containsExactly("q", "k");
        assertThat(paths.at("/~1agent~1conversation/get/parameters").findValuesAsText("name"))
                .containsExactlyInAnyOrder("endUserId", "X-Engage-User-Hash");
        assertThat(paths.has("/demo")).isFalse();
        // the injected caller is not a request parameter
        assertThat(paths.at("/~1company~1agents/get/parameters").findValuesAsText("name"))
                .containsExactlyInAnyOrder("status", "limit", "cursor");
        assertThat(api.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
    }

    @Test
    void portalAndWidgetAreServedFromTheJar() {
        Api.Response index = api.get("/", null);
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).contains("<div id=\"root\">");
        Api.Response widget = api.get("/widget.js", null);
        assertThat(widget.status()).isEqualTo(200);
        assertThat(widget.contentType()).contains("javascript");
        assertThat(widget.body()).contains("attachShadow");
    }

    @Test
    void theDemoPagesExistOnlyWithTheDemo() {
        // this context runs without ENGAGE_DEMO (DemoIT covers the pages with it)
        assertProblem(api.get("/demo", null), 404);
        assertProblem(api.get("/demo/help", null), 404);
        assertThat(api.send("GET", "/demo", null, null, null, "Accept", "text/html").status()).isEqualTo(404);
    }

    @Test
    void browserNavigationToPortalRoutesGetsTheSpaWhileApiCallsGetJson() {
        Api.Response page = api.send("GET", "/admin/companies", null, null, null, "Accept",
                "text/html,application/xhtml+xml");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<div id=\"root\">");
        Api.Response appPage = api.send("GET", "/app/agents/123", null, null, null, "Accept", "text/html");
        assertThat(appPage.body()).contains("<div id=\"root\">");
        // the same path as an API call is protected JSON
        assertProblem(api.send("GET", "/admin/companies", null, null, null, "Accept", "application/json"), 401);
    }
}
