package io.engage.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.engage.agents.Agent;
import io.engage.agents.AgentDeleted;
import io.engage.agents.AgentService;
import io.engage.auth.AgentKeys;
import io.engage.cluster.AgentStamps;
import io.engage.cluster.StampedCache;
import io.engage.crypto.SecretCipher;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Widget key → agent, on every call. Which agent a key belongs to never changes, so it is remembered; the agent and
 * which of its keys are active are cached under the agent's change stamp ({@link AgentStamps}), so that a key
 * rotated or revoked, or an agent changed, disabled or deleted, on any node is seen by every node from the next
 * request on, for one Redis read instead of two database reads per call. Conversation ownership (which agent and
 * end-user a conversation belongs to) never changes either, so it is remembered once verified.
 */
@Component
class AgentLookup {

    private record Owner(UUID agentId, UUID endUserId) {
    }

    /** What a call needs to know about the agent of a key. */
    private record KeyedAgent(Agent agent, Set<UUID> activeKeyIds) {
    }

    private final AgentKeys keys;
    private final AgentService agents;
    private final ConversationRepository conversations;
    private final Cache<UUID, Owner> conversationOwners = Caffeine.newBuilder().maximumSize(200_000).build();
    /** SHA-256 of a key (never the key itself) → its owner; only keys that were active when first seen. */
    private final Cache<String, AgentKeys.KeyOwner> keyOwners = Caffeine.newBuilder().maximumSize(100_000).build();
    private final StampedCache<UUID, KeyedAgent> keyedAgents;

    AgentLookup(AgentKeys keys, AgentService agents, ConversationRepository conversations, AgentStamps stamps) {
        this.keys = keys;
        this.agents = agents;
        this.conversations = conversations;
        this.keyedAgents = stamps.newCache(100_000);
    }

    /** The agent of an active key, if it is one. */
    Optional<Agent> agentOfKey(String presentedKey) {
        String hash = SecretCipher.sha256Hex(presentedKey);
        AgentKeys.KeyOwner owner = keyOwners.getIfPresent(hash);
        if (owner == null) {
            owner = keys.resolve(presentedKey).orElse(null);
            if (owner == null) {
                return Optional.empty();
            }
            keyOwners.put(hash, owner);
        }
        UUID agentId = owner.agentId();
        KeyedAgent keyed = keyedAgents.get(agentId, agentId, () -> agents.findAnyCompany(agentId)
                .map(agent -> new KeyedAgent(agent, Set.copyOf(keys.activeKeyIds(agentId)))).orElse(null));
        if (keyed == null || !keyed.activeKeyIds().contains(owner.keyId())) {
            return Optional.empty();
        }
        keys.used(owner);
        return Optional.of(keyed.agent());
    }

    /**
     * The agent a key belonged to when this node first saw it, without reading anything: a hint for reading ahead,
     * never a verdict (the key may have been revoked since; {@link #agentOfKey} decides).
     */
    Optional<UUID> knownAgentOfKey(String presentedKey) {
        AgentKeys.KeyOwner owner = keyOwners.getIfPresent(SecretCipher.sha256Hex(presentedKey));
        return owner == null ? Optional.empty() : Optional.of(owner.agentId());
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
        keyOwners.asMap().values().removeIf(owner -> owner.agentId().equals(event.agentId()));
    }
}
