package io.engage.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.auth.AgentKeys;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class CompanyAgentsIT extends IntegrationTest {

    @Autowired
    AgentKeys agentKeys;

    @Test
    void createWithOnlyANameTakesDefaults() {
        TestCompany company = signup();
        JsonNode agent = createAgent(company.token(), Map.of("name", "Support bot"));
        assertThat(agent.get("companyId").asText()).isEqualTo(company.id().toString());
        assertThat(agent.get("status").asText()).isEqualTo("draft");
        assertThat(agent.get("tone").asText()).isEqualTo("friendly");
        assertThat(agent.get("language").asText()).isEqualTo("en");
        assertThat(agent.get("greeting").asText()).isNotBlank();
        assertThat(agent.get("fallbackMessage").asText()).isNotBlank();
        assertThat(agent.at("/llm/provider").asText()).isEqualTo("extractive");
        assertThat(agent.at("/llm/apiKeySet").asBoolean()).isFalse();
        assertThat(agent.at("/retrieval/topK").asInt()).isEqualTo(5);
        assertThat(agent.at("/widget/mode").asText()).isEqualTo("chat");
        assertThat(agent.at("/widget/title").asText()).isEqualTo("Support bot");
        assertThat(agent.at("/widget/allowedOrigins")).isEmpty();
        assertThat(agent.at("/identityVerification/enabled").asBoolean()).isFalse();
        assertThat(agent.at("/limits/requestsPerMinute").asInt()).isEqualTo(60);
        assertThat(agent.get("apiKey").asText()).startsWith("ek_");
        assertThat(agent.get("createdAt").asText()).isNotBlank();
    }

    @Test
    void fullConfigurationRoundTripsAndSecretsAreWriteOnly() {
        TestCompany company = signup();
        Map<String, Object> body = Map.ofEntries(
                Map.entry("name", "Sales"),
                Map.entry("description", "Answers pricing questions"),
                Map.entry("systemPrompt", "You are Acme's sales assistant."),
                Map.entry("greeting", "Hello! Ask me about plans."),
                Map.entry("tone", "professional"),
                Map.entry("language", "pt-BR"),
                Map.entry("fallbackMessage", "Let me connect you with sales."),
                Map.entry("status", "published"),
                Map.entry("llm", Map.of("provider", "openai", "model", "gpt-4o", "apiKey", "sk-live-supersecret",
                        "temperature", 0.7, "maxTokens", 1024)),
                Map.entry("retrieval", Map.of("topK", 8, "minScore", 0.35)),
                Map.entry("widget", Map.of("mode", "qa", "title", "Help center", "primaryColor", "#FF8800",
                        "position", "bottom-left", "suggestedQuestions", List.of("What does it cost?"),
                        "allowedOrigins", List.of("https://www.Acme.com/", "http://localhost:3000"))),
                Map.entry("identityVerification", Map.of("enabled", true, "secret", "0123456789abcdef-secret")),
                Map.entry("limits", Map.of("requestsPerMinute", 120, "perEndUserPerMinute", 5)));
        JsonNode created = createAgent(company.token(), body);
        assertThat(created.toString()).doesNotContain("sk-live-supersecret").doesNotContain("0123456789abcdef-secret");
        String path = "/company/agents/" + created.get("id").asText();

        JsonNode agent = api.get(path, company.token()).json();
        assertThat(agent.get("tone").asText()).isEqualTo("professional");
        assertThat(agent.get("language").asText()).isEqualTo("pt-BR");
        assertThat(agent.get("status").asText()).isEqualTo("published");
        assertThat(agent.at("/llm/model").asText()).isEqualTo("gpt-4o");
        assertThat(agent.at("/llm/apiKeySet").asBoolean()).isTrue();
        assertThat(agent.at("/llm/temperature").asDouble()).isEqualTo(0.7);
        assertThat(agent.at("/llm/maxTokens").asInt()).isEqualTo(1024);
        assertThat(agent.at("/llm/apiKey").isMissingNode()).isTrue();
        assertThat(agent.at("/retrieval/minScore").asDouble()).isEqualTo(0.35);
        assertThat(agent.at("/widget/primaryColor").asText()).isEqualTo("#ff8800");
        assertThat(agent.at("/widget/position").asText()).isEqualTo("bottom-left");
        assertThat(agent.at("/widget/allowedOrigins").toString())
                .isEqualTo("[\"https://www.acme.com\",\"http://localhost:3000\"]");
        assertThat(agent.at("/identityVerification/secretSet").asBoolean()).isTrue();
        assertThat(agent.at("/limits/perEndUserPerMinute").asInt()).isEqualTo(5);
        assertThat(agent.toString()).doesNotContain("sk-live-supersecret");

        // at rest the secrets are AES-GCM sealed, never clear text
        Map<String, Object> row = jdbc.sql("SELECT llm_api_key_enc, identity_secret_enc FROM agents WHERE id = ?")
                .param(java.util.UUID.fromString(created.get("id").asText())).query().singleRow();
        assertThat(row.values()).allSatisfy(value -> assertThat((String) value).startsWith("v1.")
                .doesNotContain("supersecret").doesNotContain("0123456789abcdef"));
    }

    @Test
    void updateChangesOnlyTheFieldsSent() {
        TestCompany company = signup();
        JsonNode created = createAgent(company.token(), Map.of("name", "Bot", "greeting", "Hi",
                "llm", Map.of("provider", "openai", "apiKey", "sk-one"),
                "widget", Map.of("suggestedQuestions", List.of("a", "b"))));
        String path = "/company/agents/" + created.get("id").asText();

        Api.Response updated = api.put(path, company.token(), Map.of("status", "published",
                "widget", Map.of("primaryColor", "#000000")));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        JsonNode agent = updated.json();
        assertThat(agent.get("status").asText()).isEqualTo("published");
        assertThat(agent.get("greeting").asText()).isEqualTo("Hi");
        assertThat(agent.at("/widget/primaryColor").asText()).isEqualTo("#000000");
        assertThat(agent.at("/widget/suggestedQuestions").size()).isEqualTo(2);
        assertThat(agent.at("/llm/apiKeySet").asBoolean()).isTrue();
        assertThat(agent.get("updatedAt").asText()).isNotEqualTo(created.get("updatedAt").asText());

        // "" clears a write-only secret
        assertThat(api.put(path, company.token(), Map.of("llm", Map.of("apiKey", ""))).json()
                .at("/llm/apiKeySet").asBoolean()).isFalse();
        // switching provider takes that provider's default model and drops the old provider's key
        api.put(path, company.token(), Map.of("llm", Map.of("apiKey", "sk-two")));
        JsonNode gemini = api.put(path, company.token(), Map.of("llm", Map.of("provider", "gemini"))).json();
        assertThat(gemini.at("/llm/model").asText()).isEqualTo("gemini-2.0-flash");
        assertThat(gemini.at("/llm/apiKeySet").asBoolean()).isFalse();
    }

    @Test
    void crossFieldRulesAreValidated() {
        TestCompany company = signup();
        assertProblem(api.post("/company/agents", company.token(), Map.of("description", "no name")), 422);
        Api.Response compatible = api.post("/company/agents", company.token(),
                Map.of("name", "X", "llm", Map.of("provider", "openai-compatible", "model", "mistral")));
        assertProblem(compatible, 422);
        assertThat(compatible.json().at("/errors/0/field").asText()).isEqualTo("llm.baseUrl");
        assertThat(api.post("/company/agents", company.token(), Map.of("name", "X", "llm",
                Map.of("provider", "openai-compatible", "model", "mistral", "baseUrl", "http://127.0.0.1:8000/v1")))
                .status()).isEqualTo(201);
        assertProblem(api.post("/company/agents", company.token(), Map.of("name", "X",
                "llm", Map.of("baseUrl", "ftp://example.com"))), 422);
        Api.Response origin = api.post("/company/agents", company.token(), Map.of("name", "X",
                "widget", Map.of("allowedOrigins", List.of("https://ok.example", "https://bad.example/path"))));
        assertProblem(origin, 422);
        assertThat(origin.json().at("/errors/0/field").asText()).isEqualTo("widget.allowedOrigins[1]");
        assertProblem(api.post("/company/agents", company.token(), Map.of("name", "X",
                "identityVerification", Map.of("enabled", true))), 422);
        assertProblem(api.post("/company/agents", company.token(), Map.of("name", "X",
                "identityVerification", Map.of("enabled", true, "secret", "short"))), 422);
        Api.Response bounds = api.post("/company/agents", company.token(), Map.of("name", "X",
                "llm", Map.of("temperature", 3), "retrieval", Map.of("topK", 0), "widget", Map.of("primaryColor", "red"),
                "language", "english!"));
        assertProblem(bounds, 422);
        assertThat(bounds.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder(
                "llm.temperature", "retrieval.topK", "widget.primaryColor", "language");
        Api.Response badEnum = api.post("/company/agents", company.token(), Map.of("name", "X", "tone", "angry"));
        assertProblem(badEnum, 400);
        assertThat(badEnum.json().get("detail").asText()).contains("tone").contains("friendly");
        assertProblem(api.put("/company/agents/" + createAgent(company.token(), Map.of("name", "Y")).get("id").asText(),
                company.token(), Map.of("name", " ")), 422);
    }

    @Test
    void keysAreShownOnceRotatedAndRevoked() {
        TestCompany company = signup();
        JsonNode created = createAgent(company.token(), Map.of("name", "Keyed"));
        String path = "/company/agents/" + created.get("id").asText();
        String firstKey = created.get("apiKey").asText();
        assertThat(agentKeys.resolve(firstKey)).hasValueSatisfying(owner -> {
            assertThat(owner.agentId().toString()).isEqualTo(created.get("id").asText());
            assertThat(owner.companyId()).isEqualTo(company.id());
        });
        // never retrievable again, and only the hash is stored
        assertThat(api.get(path, company.token()).body()).doesNotContain(firstKey);
        assertThat(api.get(path + "/keys", company.token()).body()).doesNotContain(firstKey);
        assertThat(jdbc.sql("SELECT key_hash FROM agent_api_keys WHERE agent_id = ?")
                .param(java.util.UUID.fromString(created.get("id").asText())).query(String.class).single())
                .hasSize(64).isNotEqualTo(firstKey);

        Api.Response rotated = api.post(path + "/keys", company.token(), null);
        assertThat(rotated.status()).isEqualTo(201);
        String secondKey = rotated.json().get("key").asText();
        assertThat(agentKeys.resolve(firstKey)).isEmpty();
        assertThat(agentKeys.resolve(secondKey)).isPresent();

        JsonNode keys = api.get(path + "/keys", company.token()).json();
        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.get(0).get("active").asBoolean()).isFalse();
        assertThat(keys.get(1).get("active").asBoolean()).isTrue();
        assertThat(keys.get(1).get("prefix").asText()).isEqualTo(secondKey.substring(0, 11));

        String secondId = rotated.json().get("id").asText();
        assertThat(api.delete(path + "/keys/" + secondId, company.token()).status()).isEqualTo(204);
        assertThat(agentKeys.resolve(secondKey)).isEmpty();
        assertProblem(api.delete(path + "/keys/" + java.util.UUID.randomUUID(), company.token()), 404);
        assertThat(agentKeys.resolve("ek_not-a-real-key")).isEmpty();
    }

    @Test
    void thePlatformAdminDisablesAndEnablesAnyAgent() {
        TestAgent agent = newAgent(Map.of("status", "published", "widget", Map.of("allowedOrigins", List.of("*"))));
        String admin = adminToken();
        String adminPath = "/admin/agents/" + agent.id();
        assertThat(api.send("GET", "/agent/config", null, null, null, "X-Engage-Key", agent.key()).status())
                .isEqualTo(200);

        JsonNode disabled = api.post(adminPath + "/disable", admin, null).json();
        assertThat(disabled.get("disabledAt").isNull()).isFalse();
        Api.Response refused = api.send("GET", "/agent/config", null, null, null, "X-Engage-Key", agent.key());
        assertProblem(refused, 403);
        assertThat(refused.json().get("detail").asText()).contains("disabled by the platform administrator");
        assertProblem(api.send("POST", "/agent/query", null, Map.of("endUserId", "v1", "message", "Hi"),
                "application/json", "X-Engage-Key", agent.key()), 403);
        // the company sees it, and cannot lift it through its own update
        assertThat(api.get(agent.path(), agent.token()).json().get("disabledAt").isNull()).isFalse();
        api.put(agent.path(), agent.token(), Map.of("status", "published"));
        assertProblem(api.send("GET", "/agent/config", null, null, null, "X-Engage-Key", agent.key()), 403);

        JsonNode enabled = api.post(adminPath + "/enable", admin, null).json();
        assertThat(enabled.get("disabledAt").isNull()).isTrue();
        assertThat(api.send("GET", "/agent/config", null, null, null, "X-Engage-Key", agent.key()).status())
                .isEqualTo(200);

        // admin only; unknown agents are 404
        assertProblem(api.post(adminPath + "/disable", agent.token(), null), 403);
        assertProblem(api.post(adminPath + "/disable", null, null), 401);
        assertProblem(api.post("/admin/agents/" + UUID.randomUUID() + "/disable", admin, null), 404);
    }

    @Test
    void deleteRemovesTheAgentAndItsKeys() {
        TestCompany company = signup();
        JsonNode created = createAgent(company.token(), Map.of("name", "Temp"));
        String path = "/company/agents/" + created.get("id").asText();
        assertThat(api.delete(path, company.token()).status()).isEqualTo(204);
        assertProblem(api.get(path, company.token()), 404);
        assertProblem(api.delete(path, company.token()), 404);
        assertThat(agentKeys.resolve(created.get("apiKey").asText())).isEmpty();
    }

    @Test
    void listPagesAndFiltersByStatus() {
        TestCompany company = signup();
        for (int i = 0; i < 3; i++) {
            createAgent(company.token(), Map.of("name", "Agent " + i, "status", i == 1 ? "published" : "draft"));
        }
        JsonNode first = api.get("/company/agents?limit=2", company.token()).json();
        assertThat(first.get("items").findValuesAsText("name")).containsExactly("Agent 0", "Agent 1");
        JsonNode second = api.get("/company/agents?limit=2&cursor=" + first.get("nextCursor").asText(),
                company.token()).json();
        assertThat(second.get("items").findValuesAsText("name")).containsExactly("Agent 2");
        assertThat(second.get("nextCursor").isNull()).isTrue();
        JsonNode published = api.get("/company/agents?status=published", company.token()).json();
        assertThat(published.get("items").findValuesAsText("name")).containsExactly("Agent 1");
        assertProblem(api.get("/company/agents?status=live", company.token()), 400);
    }
}
