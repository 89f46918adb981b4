package io.engage.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.support.IntegrationTest;
import io.engage.support.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Short-term memory and rate limits in a Redis of the test's own: the memory key and its one-day TTL, follow-ups
 * through Redis, and Redis stopped mid-conversation (answers go on without memory) and restarted (memory is back).
 */
@DirtiesContext
class RedisMemoryIT extends IntegrationTest {

    private static RedisProcess redis;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) throws IOException {
        if (RedisProcess.available()) {
            redis = new RedisProcess();
            // engage.redis.url beats the suite's spring.data.redis.url (which it defaults to)
            registry.add("engage.redis.url", redis::url);
        }
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void memoryLivesInRedisForADayAndAnswersSurviveARedisOutage() throws Exception {
        assumeTrue(redis != null, "redis-server is not installed");
        TestCompany company = signup();
        JsonNode agent = createAgent(company.token(), Map.of("name", "Shop"));
        String agentId = agent.get("id").asText();
        String key = agent.get("apiKey").asText();
        indexSkyhawkFacts(agentId, company.token());

        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> commands = connection.sync();
            String memoryKey = "engage:memory:" + agentId + ":alice";

            api.ask(key, "alice", "Tell me about the Skyhawk DS-3 drone");
            assertThat(commands.llen(memoryKey)).isEqualTo(2);
            assertThat(commands.ttl(memoryKey)).isBetween(86_390L, 86_400L);
            assertThat(commands.lrange(memoryKey, 0, -1)).as("entries are sealed, not readable JSON")
                    .allMatch(entry -> entry.startsWith("v1.") && !entry.contains("Skyhawk"));
            commands.expire(memoryKey, 1000);
            JsonNode followUp = api.ask(key, "alice", "and what does it cost?");
            assertThat(followUp.get("answer").asText()).contains("499 euros");
            assertThat(commands.llen(memoryKey)).isEqualTo(4);
            assertThat(commands.ttl(memoryKey)).as("TTL restarts on every turn").isGreaterThan(86_000L);
            assertThat(commands.keys("engage:rate:*")).as("rate limits are shared through Redis").isNotEmpty();

            // Redis goes away mid-conversation: answers continue, without memory, and quickly
            redis.stop();
            Instant start = Instant.now();
            JsonNode during = api.ask(key, "alice", "What does the DS-3 cost?");
            assertThat(during.get("answer").asText()).contains("499 euros");
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(3));
            assertThat(api.ask(key, "bob", "Tell me about the Skyhawk DS-3 drone").get("grounded").asBoolean())
                    .isTrue();

            // Redis is back: memory works again without a restart of Engage
            redis.start();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            String carolKey = "engage:memory:" + agentId + ":carol";
            try (StatefulRedisConnection<String, String> again = client.connect()) {
                while (again.sync().exists(carolKey) == 0 && Instant.now().isBefore(deadline)) {
                    api.ask(key, "carol", "Tell me about the Skyhawk DS-3 drone");
                    Thread.sleep(200);
                }
                assertThat(again.sync().exists(carolKey)).as("memory written again after Redis returned")
                        .isEqualTo(1);
                assertThat(api.ask(key, "carol", "and what does it cost?").get("answer").asText())
                        .contains("499 euros");

                // deleting the agent forgets its memory
                assertThat(api.delete("/company/agents/" + agentId, company.token()).status()).isEqualTo(204);
                assertThat(again.sync().keys("engage:memory:" + agentId + ":*")).isEmpty();
            }
        } finally {
            client.shutdown();
        }
    }
}
