package io.engage.agents;

import io.engage.crypto.ColumnResealer;
import io.engage.crypto.Resealable;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The agents' provider API keys and identity-verification secrets, for the re-encryption command. */
@Component
class SealedAgentSecrets implements Resealable {

    private final ColumnResealer resealer;

    SealedAgentSecrets(ColumnResealer resealer) {
        this.resealer = resealer;
    }

    @Override
    public Resealed resealAll() {
        return new Resealed(Map.of(
                "agents.llm_api_key_enc", resealer.reseal("agents", "llm_api_key_enc",
                        id -> AgentService.secretContext(id, AgentService.LLM_API_KEY)),
                "agents.identity_secret_enc", resealer.reseal("agents", "identity_secret_enc",
                        id -> AgentService.secretContext(id, AgentService.IDENTITY_SECRET))));
    }
}
