package io.engage.agents;

import java.util.UUID;

/**
 * Published inside the transaction that changed an agent's configuration, so that nodes caching it (the agent
 * runtime) drop their copy after commit.
 */
public record AgentChanged(UUID agentId, UUID companyId) {
}
