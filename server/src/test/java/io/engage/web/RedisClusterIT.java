package io.engage.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.support.AppNode;
import io.engage.support.IntegrationTest;
import io.engage.support.RedisClusterProcess;
import io.engage.support.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes sharing a Redis Cluster of three masters ({@code engage.redis.cluster}) instead of a single Redis: memory,
 * per-visitor limits and change stamps work across nodes as with one Redis, and the keys are spread over the cluster's
 * nodes (so this is not one node doing all the work).
 */
class RedisClusterIT extends IntegrationTest {

    private RedisClusterProcess redisCluster;
    private AppNode nodeA;
    private AppNode nodeB;

    @BeforeEach
    void twoNodesOnACluster() throws Exception {
        assumeTrue(RedisClusterProcess.available(), "redis-server / redis-cli are not installed");
        redisCluster = new RedisClusterProcess();
        Map<String, String> settings = new HashMap<>(TestDatabase.properties());
        // one seed node is enough: the client learns the others from it
        settings.put("engage.redis.url", redisCluster.urls().split(",")[0]);
        settings.put("engage.redis.cluster", "true");
        nodeA = AppNode.start(settings);
        nodeB = AppNode.start(settings);
    }

    @AfterEach
    void stop() {
        for (AutoCloseable closing : new AutoCloseable[] {nodeA, nodeB, redisCluster}) {
            try {
                if (closing != null) {
                    closing.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
    }

    @Test
    void memoryLimitsAndChangeStampsWorkAcrossNodesThroughTheCluster() throws Exception {
        assertThat(nodeA.bean(RedisLink.class).cluster()).isTrue();
        TestCompany company = signup();
        JsonNode agent = createAgent(company.token(), Map.of("name", "Clustered shop",
                "limits", Map.of("perEndUserPerMinute", 3)));
        String agentId = agent.get("id").asText();
        String key = agent.get("apiKey").asText();
        indexSkyhawkFacts(agentId, company.token());

        // memory written through A is the context of the follow-up through B
        JsonNode first = nodeA.api().ask(key, "alice", "Tell me about the Skyhawk DS-3 drone");
        JsonNode followUp = nodeB.api().ask(key, "alice", "and what does it cost?");
        assertThat(followUp.get("conversationId").asText()).isEqualTo(first.get("conversationId").asText());
        assertThat(followUp.get("answer").asText()).contains("499 euros");
        // alice's limit of 3 a minute is one budget on both nodes
        nodeA.api().ask(key, "alice", "Is it foldable?");
        assertProblem(nodeB.api().send("POST", "/agent/query", null, Map.of("endUserId", "alice",
                "message", "Does it film 4K?"), "application/json", "X-Engage-Key", key), 429);

        // many visitors' memories land on more than one of the cluster's nodes
        for (int i = 0; i < 12; i++) {
            (i % 2 == 0 ? nodeA.api() : nodeB.api()).ask(key, "visitor-" + i, "How much is the DS-3?");
        }
        int nodesHoldingMemory = 0;
        int memoryKeys = 0;
        for (int port : redisCluster.ports()) {
            int here = redisCluster.keysOn(port, "engage:memory:" + agentId + ":*").size();
            memoryKeys += here;
            nodesHoldingMemory += here > 0 ? 1 : 0;
        }
        assertThat(memoryKeys).isEqualTo(13);
        assertThat(nodesHoldingMemory).isGreaterThanOrEqualTo(2);

        // a key rotated through A stops working on B at once (change stamps through the cluster)
        String rotated = nodeA.api().post("/company/agents/" + agentId + "/keys", company.token(), null).json()
                .get("key").asText();
        assertProblem(nodeB.api().send("POST", "/agent/query", null, Map.of("endUserId", "bob", "message", "Hello"),
                "application/json", "X-Engage-Key", key), 401);
        assertThat(nodeB.api().ask(rotated, "carol", "What does the DS-3 cost?").get("answer").asText())
                .contains("499 euros");

        // an agent deleted through B is gone on A at once, and its memory is removed from every cluster node
        assertThat(nodeB.api().delete("/company/agents/" + agentId, company.token()).status()).isEqualTo(204);
        assertProblem(nodeA.api().send("POST", "/agent/query", null, Map.of("endUserId", "bob", "message", "Hello"),
                "application/json", "X-Engage-Key", rotated), 401);
        awaitNoMemoryKeys(agentId);
    }

    private void awaitNoMemoryKeys(String agentId) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int left;
        do {
            left = 0;
            for (int port : redisCluster.ports()) {
                left += redisCluster.keysOn(port, "engage:memory:" + agentId + ":*").size();
            }
            if (left == 0) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(left).as("memory keys of the deleted agent left on the cluster").isZero();
    }
}
