package io.engage.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.engage.agents.Agent;
import io.engage.agents.AgentDeleted;
import io.engage.agents.AgentService;
import io.engage.auth.AgentKeys;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Widget key → agent, read on every call (two indexed reads) so that a key rotated or revoked on any node stops
 * working at once everywhere; a one-second cache was measured and bought nothing visible. Conversation ownership
 * (which agent and end-user a conversation belongs to) never changes, so it is remembered once verified.
 */
@Component
class AgentLookup {

    private record Owner(UUID agentId, UUID endUserId) {
    }

    private final AgentKeys keys;
    private final AgentService agents;
    private final ConversationRepository conversations;
    private final Cache<UUID, Owner> conversationOwners = Caffeine.newBuilder().maximumSize(200_000).build();

    AgentLookup(AgentKeys keys, AgentService agents, ConversationRepository conversations) {
        this.keys = keys;
        this.agents = agents;
        this.conversations = conversations;
    }

    /** The agent of an active key, if it is one. */
    Optional<Agent> agentOfKey(String presentedKey) {
        return keys.resolve(presentedKey).flatMap(owner -> agents.findAnyCompany(owner.agentId()));
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
    void onAgentDeleted(AgentDeleted event) {
        conversationOwners.asMap().values().removeIf(owner -> owner.agentId().equals(event.agentId()));
    }
}
