package io.engage.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.support.Api;
import io.engage.support.AppNode;
import io.engage.support.IntegrationTest;
import io.engage.support.TestDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retrieval indexes are derived data: a second node on the same database (and master key) answers searches exactly
 * like the first, and sees knowledge changes made through the first on its next search. The agent API too: keys
 * and deletions take effect on both at once, and with Redis (the PostgreSQL run) memory and limits are shared.
 */
class TwoNodesIT extends IntegrationTest {

    private AppNode nodeB;
    private Api apiB;

    @BeforeEach
    void startSecondNode() {
        nodeB = AppNode.start(TestDatabase.properties());
        apiB = nodeB.api();
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

    @Test
    void theAgentApiBehavesAsOneServiceAcrossNodes() {
        TestCompany company = signup();
        JsonNode agent = createAgent(company.token(), Map.of("name", "Shared shop",
                "limits", Map.of("perEndUserPerMinute", 3)));
        String agentId = agent.get("id").asText();
        String key = agent.get("apiKey").asText();
        indexSkyhawkFacts(agentId, company.token());

        JsonNode first = api.ask(key, "alice", "Tell me about the Skyhawk DS-3 drone");
        assertThat(first.get("grounded").asBoolean()).isTrue();
        if (TestDatabase.isPostgres()) {
            // with Redis (this run's production-like setup) memory and limits are shared by the nodes
            JsonNode followUp = apiB.ask(key, "alice", "and what does it cost?");
            assertThat(followUp.get("conversationId").asText()).isEqualTo(first.get("conversationId").asText());
            assertThat(followUp.get("answer").asText()).contains("499 euros");
            api.ask(key, "alice", "Is it foldable?");
            Api.Response limited = apiB.send("POST", "/agent/query", null, Map.of("endUserId", "alice",
                    "message", "Does it film 4K?"), "application/json", "X-Engage-Key", key);
            assertProblem(limited, 429);
        }

        // a key rotated through node A stops working on node B at once
        String rotated = api.post("/company/agents/" + agentId + "/keys", company.token(), null).json().get("key")
                .asText();
        assertProblem(apiB.send("POST", "/agent/query", null, Map.of("endUserId", "bob", "message", "Hello"),
                "application/json", "X-Engage-Key", key), 401);
        Api.Response renewed = apiB.send("POST", "/agent/query", null, Map.of("endUserId", "carol", "message",
                "What does the DS-3 cost?"), "application/json", "X-Engage-Key", rotated);
        assertThat(renewed.json().get("answer").asText()).as(renewed.toString()).contains("499 euros");

        // an agent deleted on node A is gone on node B at once
        assertThat(api.delete("/company/agents/" + agentId, company.token()).status()).isEqualTo(204);
        assertProblem(apiB.send("POST", "/agent/query", null, Map.of("endUserId", "bob", "message", "Hello"),
                "application/json", "X-Engage-Key", rotated), 401);
    }

    /**
     * Node B answers from caches it keeps under the agent's change stamp (with Redis): each change made through
     * node A after B has answered (so B has cached the agent, the visitor and the knowledge version) acts on B's
     * very next request.
     */
    @Test
    void changesThroughOneNodeActOnTheOthersWarmCachesAtOnce() {
        TestCompany company = signup();
        // a minimum score at which questions outside the knowledge get the fallback message
        JsonNode agent = createAgent(company.token(), Map.of("name", "Cached shop",
                "fallbackMessage", "Sorry, I cannot help with that.", "retrieval", Map.of("minScore", 0.35)));
        String agentId = agent.get("id").asText();
        String key = agent.get("apiKey").asText();
        api.post("/rag/agents/" + agentId + "/index", company.token(), Map.of("type", "text", "title", "Prices",
                "content", "The Skyhawk DS-3 costs 499 euros, including two batteries."));
        String dragonfly = "Does the Dragonfly glider come with a remote control?";
        for (int i = 0; i < 2; i++) {
            assertThat(apiB.ask(key, "alice", "What does the Skyhawk DS-3 cost?").get("answer").asText())
                    .contains("499");
            assertThat(apiB.ask(key, "alice", dragonfly).get("answer").asText())
                    .isEqualTo("Sorry, I cannot help with that.");
        }

        // knowledge added through A
        api.post("/rag/agents/" + agentId + "/index", company.token(), Map.of("type", "text", "title", "Glider",
                "content", "The Dragonfly glider comes with a remote control and a spare propeller."));
        assertThat(apiB.ask(key, "alice", dragonfly).get("answer").asText()).contains("spare propeller");

        // settings changed through A
        assertThat(api.put("/company/agents/" + agentId, company.token(),
                Map.of("fallbackMessage", "Please ask our staff.")).status()).isEqualTo(200);
        assertThat(apiB.ask(key, "alice", "Do you repair bicycles?").get("answer").asText())
                .isEqualTo("Please ask our staff.");

        // the visitor blocked and unblocked through A
        String endUserId = api.get("/company/agents/" + agentId + "/users", company.token()).json()
                .at("/items/0/id").asText();
        String user = "/company/agents/" + agentId + "/users/" + endUserId;
        assertThat(api.post(user + "/block", company.token(), null).status()).isEqualTo(200);
        assertProblem(apiB.send("POST", "/agent/query", null, Map.of("endUserId", "alice", "message", "Hello"),
                "application/json", "X-Engage-Key", key), 403);
        assertThat(api.post(user + "/unblock", company.token(), null).status()).isEqualTo(200);
        apiB.ask(key, "alice", "What does the Skyhawk DS-3 cost?");

        // the agent disabled and enabled by the platform admin through A
        String admin = adminToken();
        assertThat(api.post("/admin/agents/" + agentId + "/disable", admin, null).status()).isEqualTo(200);
        assertProblem(apiB.send("POST", "/agent/query", null, Map.of("endUserId", "alice", "message", "Hello"),
                "application/json", "X-Engage-Key", key), 403);
        assertThat(api.post("/admin/agents/" + agentId + "/enable", admin, null).status()).isEqualTo(200);
        apiB.ask(key, "alice", "What does the Skyhawk DS-3 cost?");

        // the key revoked through A
        String keyId = api.get("/company/agents/" + agentId + "/keys", company.token()).json().at("/0/id").asText();
        assertThat(api.delete("/company/agents/" + agentId + "/keys/" + keyId, company.token()).status())
                .isEqualTo(204);
        assertProblem(apiB.send("POST", "/agent/query", null, Map.of("endUserId", "alice", "message", "Hello"),
                "application/json", "X-Engage-Key", key), 401);
    }

    /**
     * A conversation created on one node reaches the database when that node's writer next stores (it gathers
     * writes for engage.conversation.write-linger); the visitor's memory has it at once. Node B here holds its writes
     * for a second, and node A is asked right after B has answered: A continues B's conversation, with or without
     * its id, instead of a 404 or a new conversation.
     */
    @Test
    void aConversationJustStartedOnOneNodeContinuesOnTheOther() {
        assumeTrue(TestDatabase.isPostgres(), "without Redis the nodes share no memory");
        nodeB.close();
        Map<String, String> slowWriter = new HashMap<>(TestDatabase.properties());
        slowWriter.put("engage.conversation.write-linger", "1s");
        nodeB = AppNode.start(slowWriter);
        apiB = nodeB.api();
        TestCompany company = signup();
        JsonNode agent = createAgent(company.token(), Map.of("name", "Relay shop"));
        String agentId = agent.get("id").asText();
        String key = agent.get("apiKey").asText();
        indexSkyhawkFacts(agentId, company.token());

        String started = apiB.ask(key, "dave", "Tell me about the Skyhawk DS-3 drone").get("conversationId").asText();
        Api.Response named = api.send("POST", "/agent/query", null, Map.of("endUserId", "dave", "message",
                "What does the Skyhawk DS-3 cost?", "conversationId", started), "application/json", "X-Engage-Key", key);
        assertThat(named.status()).as(named.toString()).isEqualTo(200);
        assertThat(named.json().get("conversationId").asText()).isEqualTo(started);

        String startedAgain = apiB.ask(key, "erin", "Tell me about the Skyhawk DS-3 drone").get("conversationId")
                .asText();
        JsonNode remembered = api.ask(key, "erin", "Is the Skyhawk DS-3 foldable?");
        assertThat(remembered.get("conversationId").asText()).isEqualTo(startedAgain);
    }

    @Test
    void signInThrottlingCountsFailuresOnEveryNode() {
        assumeTrue(TestDatabase.isPostgres(), "without Redis each node keeps its own buckets, by design");
        TestCompany company = signup();
        // the suite allows 10 failed sign-ins per account in its window: half on each node
        for (int i = 0; i < 10; i++) {
            Api on = i % 2 == 0 ? api : apiB;
            Api.Response failed = on.post("/company/login", null, Map.of("email", company.email(),
                    "password", "not the password " + i));
            assertThat(failed.status()).as(failed.toString()).isEqualTo(401);
        }
        // now the account is locked on both nodes, even for the right password
        for (Api on : List.of(api, apiB)) {
            Api.Response locked = on.post("/company/login", null, Map.of("email", company.email(),
                    "password", PASSWORD));
            assertProblem(locked, 429);
            assertThat(locked.header("Retry-After")).isNotNull();
        }
    }
}
