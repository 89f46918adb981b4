package io.engage.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.auth.AgentKeys;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Strict tenant isolation: every company endpoint that takes an id is called by company B's admin with company A's
 * ids, and must answer 404 (as for an id that does not exist) and change nothing. The endpoints are discovered from
 * the application's own mappings, so a new endpoint is covered the day it is added; one whose path variable this test
 * cannot fill fails it until a fixture is added below.
 */
class TenantIsolationIT extends IntegrationTest {

    private static final Pattern VARIABLE = Pattern.compile("\\{(\\w+)}");

    /** Valid bodies, so that the request passes validation and reaches the tenant check. */
    private static final Map<String, Object> BODIES = Map.of(
            "PUT /company/agents/{agentId}", Map.of("name", "hijacked", "status", "published"),
            "PATCH /company/users/{userId}", Map.of("role", "COMPANY_MEMBER"),
            "POST /company/agents/{agentId}/knowledge", Map.of("type", "text", "content", "hijacked"),
            "POST /rag/agents/{agentId}/index", Map.of("type", "text", "content", "hijacked"),
            "PUT /rag/agents/{agentId}/knowledge", Map.of("documents", java.util.List.of()),
            "POST /company/agents/{agentId}/gaps/{gapId}/answer", Map.of("answer", "hijacked"));

    /** Required query parameters, so that the request reaches the tenant check. */
    private static final Map<String, String> QUERIES = Map.of("GET /rag/agents/{agentId}/search", "?q=anything");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    AgentKeys agentKeys;

    @Test
    void companyBCannotReadOrChangeAnythingOfCompanyA() {
        TestCompany a = signup();
        TestCompany b = signup();
        JsonNode agentA = createAgent(a.token(), Map.of("name", "A's agent"));
        String agentId = agentA.get("id").asText();
        String keyA = agentA.get("apiKey").asText();
        String keyId = agentA.get("apiKeyId").asText();
        String memberEmail = unique("member") + "@example.com";
        String userId = api.post("/company/users", a.token(),
                Map.of("email", memberEmail, "password", PASSWORD, "role", "COMPANY_MEMBER")).json().get("id").asText();
        String sourceId = api.post("/rag/agents/" + agentId + "/index", a.token(),
                Map.of("type", "text", "content", "Company A's private price list: 42 euros.")).json()
                .get("sourceId").asText();
        // a real visitor of A's agent: creates the end-user and a conversation
        JsonNode answer = api.send("POST", "/agent/query", null, Map.of("endUserId", "visitor-a", "message",
                "What is on the price list?"), "application/json", "X-Engage-Key", keyA).json();
        String conversationId = answer.get("conversationId").asText();
        String endUserId = api.get("/company/agents/" + agentId + "/users", a.token()).json().at("/items/0/id")
                .asText();
        // a question A's knowledge cannot answer: a knowledge gap
        api.send("POST", "/agent/query", null, Map.of("endUserId", "visitor-a", "message",
                "Who won the football world cup in 1954?"), "application/json", "X-Engage-Key", keyA);
        JsonNode gapsOfA = api.get("/company/agents/" + agentId + "/gaps", a.token()).json().get("items");
        assertThat(gapsOfA).as(gapsOfA.toString()).hasSize(1);
        String gapId = gapsOfA.get(0).get("id").asText();
        Map<String, String> idsOfA = Map.of("agentId", agentId, "userId", userId, "keyId", keyId,
                "endUserId", endUserId, "sourceId", sourceId, "conversationId", conversationId, "gapId", gapId);
        String keyB = createAgent(b.token(), Map.of("name", "B's agent")).get("apiKey").asText();

        List<String> checked = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, ?> entry : mappings.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            for (String pattern : info.getPatternValues()) {
                if (!(pattern.startsWith("/company/") || pattern.startsWith("/rag/")) || !pattern.contains("{")) {
                    continue;
                }
                String path = fill(pattern, idsOfA) + QUERIES.getOrDefault(
                        info.getMethodsCondition().getMethods().stream().findFirst().map(Enum::name).orElse("")
                                + " " + pattern, "");
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                    String key = method.name() + " " + pattern;
                    Object body = BODIES.getOrDefault(key,
                            method == RequestMethod.GET || method == RequestMethod.DELETE ? null : Map.of());
                    Api.Response response = api.send(method.name(), path, b.token(), body,
                            body == null ? null : "application/json");
                    assertThat(response.status()).as(key + " with another tenant's ids → " + response).isEqualTo(404);
                    assertProblem(response, 404);
                    checked.add(key);
                }
            }
        }
        assertThat(checked).contains("GET /company/agents/{agentId}", "PUT /company/agents/{agentId}",
                "DELETE /company/agents/{agentId}", "POST /company/agents/{agentId}/keys",
                "GET /company/agents/{agentId}/keys", "DELETE /company/agents/{agentId}/keys/{keyId}",
                "GET /company/agents/{agentId}/users", "PATCH /company/users/{userId}",
                "DELETE /company/users/{userId}", "GET /company/agents/{agentId}/knowledge",
                "POST /company/agents/{agentId}/knowledge", "GET /company/agents/{agentId}/knowledge/{sourceId}",
                "DELETE /company/agents/{agentId}/knowledge/{sourceId}", "POST /rag/agents/{agentId}/index",
                "GET /rag/agents/{agentId}/search", "PUT /rag/agents/{agentId}/knowledge",
                "GET /company/agents/{agentId}/users/{endUserId}",
                "POST /company/agents/{agentId}/users/{endUserId}/block",
                "POST /company/agents/{agentId}/users/{endUserId}/unblock",
                "GET /company/agents/{agentId}/users/{endUserId}/conversations",
                "GET /company/agents/{agentId}/conversations/{conversationId}",
                "GET /company/agents/{agentId}/gaps", "POST /company/agents/{agentId}/gaps/{gapId}/answer",
                "DELETE /company/agents/{agentId}/gaps/{gapId}");

        // B's widget key cannot reach A's conversations or messages either
        assertProblem(api.send("POST", "/agent/query", null, Map.of("endUserId", "visitor-a", "message", "hi",
                "conversationId", conversationId), "application/json", "X-Engage-Key", keyB), 404);
        assertProblem(api.send("POST", "/agent/events", null, Map.of("type", "feedback", "value", "down",
                "messageId", answer.get("messageId").asText()), "application/json", "X-Engage-Key", keyB), 404);
        // nor A's knowledge or A's visitor's conversation through the widget's endpoints, even for the same
        // visitor id (and reading creates no end-user of B's agent)
        assertThat(api.send("GET", "/agent/search?q=price%20list", null, null, null, "X-Engage-Key", keyB).json()
                .get("results")).isEmpty();
        JsonNode resumedByB = api.send("GET", "/agent/conversation?endUserId=visitor-a", null, null, null,
                "X-Engage-Key", keyB).json();
        assertThat(resumedByB.get("conversationId").isNull()).as(resumedByB.toString()).isTrue();
        assertThat(resumedByB.get("messages")).isEmpty();
        assertThat(api.send("POST", "/agent/query", null, Map.of("endUserId", "visitor-a", "message", "hi"),
                "application/json", "X-Engage-Key", keyB).json().get("conversationId").asText())
                .isNotEqualTo(conversationId);
        resumedByB = api.send("GET", "/agent/conversation?endUserId=visitor-a", null, null, null, "X-Engage-Key",
                keyB).json();
        assertThat(resumedByB.get("conversationId").asText()).isNotEqualTo(conversationId);
        assertThat(resumedByB.get("messages").findValuesAsText("content")).contains("hi")
                .noneMatch(text -> text.contains("price list") || text.contains("42 euros") || text.contains("1954"));
        // while A's key sees A's own
        assertThat(api.send("GET", "/agent/conversation?endUserId=visitor-a", null, null, null, "X-Engage-Key",
                keyA).json().get("conversationId").asText()).isEqualTo(conversationId);
        assertThat(api.send("GET", "/agent/search?q=price%20list", null, null, null, "X-Engage-Key", keyA).json()
                .at("/results/0/snippet").asText()).contains("42 euros");

        // lists show only B's own data
        assertThat(api.get("/company/agents", b.token()).json().get("items").findValuesAsText("id"))
                .doesNotContain(agentId).hasSize(1);
        assertThat(api.get("/company/users", b.token()).json().get("items").findValuesAsText("email"))
                .containsExactly(b.email());

        // and nothing of A changed
        JsonNode stillA = api.get("/company/agents/" + agentId, a.token()).json();
        assertThat(stillA.get("name").asText()).isEqualTo("A's agent");
        assertThat(stillA.get("status").asText()).isEqualTo("draft");
        assertThat(agentKeys.resolve(keyA)).isPresent();
        assertThat(api.get("/company/users", a.token()).json().get("items").findValuesAsText("email"))
                .contains(memberEmail);
        JsonNode endUsersOfA = api.get("/company/agents/" + agentId + "/users", a.token()).json().get("items");
        assertThat(endUsersOfA.size()).isEqualTo(1);
        assertThat(endUsersOfA.get(0).get("blocked").asBoolean()).isFalse();
        assertThat(api.get("/company/agents/" + agentId + "/conversations/" + conversationId, a.token()).json()
                .at("/messages/1/feedback").isNull()).isTrue();
        assertThat(api.get("/company/agents/" + agentId + "/knowledge", a.token()).json().get("items").size())
                .isEqualTo(1);
        assertThat(api.get("/company/agents/" + agentId + "/gaps", a.token()).json().get("items")
                .findValuesAsText("id")).containsExactly(gapId);
        // B's analytics hold only B's own visitor ("hi"), none of A's questions
        JsonNode analyticsOfB = api.get("/company/analytics", b.token()).json();
        assertThat(analyticsOfB.at("/totals/messages").asLong()).isEqualTo(1);
        assertThat(analyticsOfB.get("topQuestions").findValuesAsText("question")).containsExactly("hi");
        assertThat(api.get("/rag/agents/" + agentId + "/search?q=price", a.token()).json()
                .at("/results/0/text").asText()).contains("42 euros");
    }

    private static String fill(String pattern, Map<String, String> ids) {
        Matcher matcher = VARIABLE.matcher(pattern);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            String id = ids.get(matcher.group(1));
            if (id == null) {
                fail("No tenant-isolation fixture for {" + matcher.group(1) + "} in " + pattern
                        + ": create one for company A in this test");
            }
            matcher.appendReplacement(path, id);
        }
        matcher.appendTail(path);
        return path.toString();
    }
}
