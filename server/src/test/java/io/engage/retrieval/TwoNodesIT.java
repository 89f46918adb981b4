package io.engage.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.EngageApplication;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import io.engage.support.TestDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Retrieval indexes are derived data: a second node on the same database (and master key) answers searches exactly
 * like the first, and sees knowledge changes made through the first on its next search.
 */
class TwoNodesIT extends IntegrationTest {

    private ConfigurableApplicationContext nodeB;
    private Api apiB;

    @BeforeEach
    void startSecondNode() {
        Map<String, String> properties = new HashMap<>(TestDatabase.properties());
        properties.put("server.port", "0");
        properties.put("engage.admin.email", ADMIN_EMAIL);
        properties.put("engage.admin.password", ADMIN_PASSWORD);
        // command-line arguments: they take precedence over application.yml, like the environment of a real node
        String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        nodeB = new SpringApplicationBuilder(EngageApplication.class).run(arguments);
        apiB = new Api(((WebServerApplicationContext) nodeB).getWebServer().getPort());
    }

    @AfterEach
    void stopSecondNode() {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    @Test
    void bothNodesServeTheSameResultsAndSeeChangesAtOnce() {
        TestCompany company = signup();
        String agentId = createAgent(company.token(), Map.of("name", "Shared")).get("id").asText();
        String index = "/rag/agents/" + agentId + "/index";
        api.post(index, company.token(), Map.of("type", "text", "content", "The museum opens at ten in the morning."));
        String cafe = api.post(index, company.token(), Map.of("type", "text",
                "content", "The museum cafe serves vegan cakes.")).json().get("sourceId").asText();

        String search = "/rag/agents/" + agentId + "/search?k=5&q=when%20does%20the%20museum%20open";
        JsonNode onA = api.get(search, company.token()).json().get("results");
        JsonNode onB = apiB.get(search, company.token()).json().get("results");
        assertThat(onA.findValuesAsText("chunkId")).hasSize(2).isEqualTo(onB.findValuesAsText("chunkId"));
        assertThat(onB.get(0).get("text").asText()).contains("opens at ten");

        // a change through node A is visible on node B's next search
        assertThat(api.delete("/company/agents/" + agentId + "/knowledge/" + cafe, company.token()).status())
                .isEqualTo(204);
        List<String> afterDelete = apiB.get(search, company.token()).json().get("results").findValuesAsText("text");
        assertThat(afterDelete).hasSize(1).noneMatch(text -> text.contains("vegan"));
        api.post(index, company.token(), Map.of("type", "faq", "question", "Is the museum open on Mondays?",
                "answer", "No, the museum is closed on Mondays."));
        assertThat(apiB.get("/rag/agents/" + agentId + "/search?k=1&q=monday%20closed", company.token()).json()
                .at("/results/0/text").asText()).contains("closed on Mondays");
    }
}
