package io.engage.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.engage.agents.Agent;
import io.engage.agents.AgentChanged;
import io.engage.agents.AgentDeleted;
import io.engage.agents.AgentService;
import io.engage.auth.AgentKeys;
import io.engage.auth.AgentKeysChanged;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Widget key → agent, cached for a second: the agent API is called for every message, and the key and the agent's
 * configuration change rarely. A change made on this node (key rotated or revoked, agent updated or deleted) drops
 * the cached entries at once; other nodes see it within the second. Conversation ownership (which agent and
 * end-user a conversation belongs to) never changes, so it is remembered once verified.
 */
@Component
class AgentLookup {

    static final Duration KEY_TTL = Duration.ofSeconds(1);

    private record Owner(UUID agentId, UUID endUserId) {
    }

    private final AgentKeys keys;
    private final AgentService agents;
    private final ConversationRepository conversations;
    private final Cache<String, Optional<Agent>> byKey = Caffeine.newBuilder().expireAfterWrite(KEY_TTL)
            .maximumSize(100_000).build();
    private final Cache<UUID, Owner> conversationOwners = Caffeine.newBuilder().maximumSize(200_000).build();

    AgentLookup(AgentKeys keys, AgentService agents, ConversationRepository conversations) {
        this.keys = keys;
        this.agents = agents;
        this.conversations = conversations;
    }

    /** The agent of an active key, if it is one. */
    Optional<Agent> agentOfKey(String presentedKey) {
        return byKey.get(presentedKey, key -> keys.resolve(key).flatMap(owner -> agents.findAnyCompany(owner.agentId())));
    }

    /** True when the stored conversation belongs to the agent and end-user. */
    boolean conversationOf(Agent agent, UUID endUserId, UUID conversationId) {
        Owner owner = conversationOwners.getIfPresent(conversationId);
        if (owner != null) {
            return owner.agentId().equals(agent.id()) && owner.endUserId().equals(endUserId);
        }
        boolean stored = conversations.conversationExists(agent.companyId(), agent.id(), endUserId, conversationId);
        if (stored) {
            conversationOwners.put(conversationId, new Owner(agent.id(), endUserId));
        }
        return stored;
    }

    /** Records a conversation this node creates. */
    void created(UUID conversationId, UUID agentId, UUID endUserId) {
        conversationOwners.put(conversationId, new Owner(agentId, endUserId));
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onKeysChanged(AgentKeysChanged event) {
        forgetAgent(event.agentId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onAgentChanged(AgentChanged event) {
        forgetAgent(event.agentId());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onAgentDeleted(AgentDeleted event) {
        forgetAgent(event.agentId());
        conversationOwners.asMap().values().removeIf(owner -> owner.agentId().equals(event.agentId()));
    }

    private void forgetAgent(UUID agentId) {
        byKey.asMap().values().removeIf(agent -> agent.map(a -> a.id().equals(agentId)).orElse(false));
    }
}
