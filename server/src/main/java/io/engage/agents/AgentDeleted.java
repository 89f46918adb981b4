package io.engage.agents;

import java.util.UUID;

/**
 * Published inside the transaction that deleted the agent. Listeners that clean derived state outside the database
 * (retrieval caches, Redis memory) should use {@code @TransactionalEventListener} (after commit).
 */
public record AgentDeleted(UUID agentId, UUID companyId) {
}
