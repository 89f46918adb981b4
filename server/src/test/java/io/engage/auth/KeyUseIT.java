package io.engage.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** "Last used" of widget keys: written shortly after a call, only for the key that was used. */
class KeyUseIT extends IntegrationTest {

    @Autowired
    private AgentKeys agentKeys;

    @Test
    void aKeysLastUseShowsInItsCompanysKeyListAndNowhereElse() {
        TestAgent used = newAgent(Map.of());
        TestAgent idle = newAgent(Map.of());
        assertThat(lastUsed(used)).isNull();
        Instant before = Instant.now().minusSeconds(1);

        Api.Response answer = api.send("POST", "/agent/query", null, Map.of("message", "Do you ship abroad?",
                "endUserId", "visitor-1"), "application/json", "X-Engage-Key", used.key());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        // a wrong key authenticates nothing and is noted nowhere
        api.send("POST", "/agent/query", null, Map.of("message", "Hi", "endUserId", "visitor-2"),
                "application/json", "X-Engage-Key", idle.key() + "x");
        agentKeys.writeUses();

        assertThat(lastUsed(used)).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(lastUsed(idle)).isNull();

        // an older use written later (another node's, say) does not move it back
        Instant written = lastUsed(used);
        jdbc.sql("UPDATE agent_api_keys SET last_used_at = last_used_at + INTERVAL '1' HOUR WHERE agent_id = ?")
                .param(java.util.UUID.fromString(used.id())).update();
        api.send("POST", "/agent/query", null, Map.of("message", "And to Norway?", "endUserId", "visitor-1"),
                "application/json", "X-Engage-Key", used.key());
        agentKeys.writeUses();
        assertThat(lastUsed(used)).isEqualTo(written.plusSeconds(3600));
    }

    private Instant lastUsed(TestAgent agent) {
        JsonNode keys = api.get("/company/agents/" + agent.id() + "/keys", agent.token()).json();
        assertThat(keys.size()).isEqualTo(1);
        JsonNode lastUsed = keys.get(0).path("lastUsedAt");
        return lastUsed.isMissingNode() || lastUsed.isNull() ? null : Instant.parse(lastUsed.asText());
    }
}
