package io.engage.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Memory in this node's heap, with Redis's semantics: expiry one TTL after the latest write, bounded lists. */
class InProcessConversationMemory implements ConversationMemory {

    private final MemoryProperties properties;
    private final Cache<String, List<MemoryTurn>> store;

    InProcessConversationMemory(MemoryProperties properties) {
        this.properties = properties;
        this.store = Caffeine.newBuilder().expireAfterWrite(properties.ttl())
                .maximumSize(properties.maxConversationsInProcess()).build();
    }

    @Override
    public List<MemoryTurn> recall(UUID agentId, String endUserId) {
        List<MemoryTurn> turns = store.getIfPresent(MemoryCodec.key(agentId, endUserId));
        return turns == null ? List.of() : MemoryCodec.newestWithin(turns, properties.maxChars());
    }

    @Override
    public void append(UUID agentId, String endUserId, List<MemoryTurn> turns) {
        if (turns.isEmpty()) {
            return;
        }
        store.asMap().compute(MemoryCodec.key(agentId, endUserId), (key, current) -> {
            List<MemoryTurn> next = new ArrayList<>(current == null ? List.of() : current);
            next.addAll(turns);
            int overflow = next.size() - properties.maxTurns();
            return List.copyOf(overflow > 0 ? next.subList(overflow, next.size()) : next);
        });
    }

    @Override
    public void forgetAgent(UUID agentId) {
        String prefix = MemoryCodec.agentPrefix(agentId);
        store.asMap().keySet().removeIf(key -> key.startsWith(prefix));
    }

    @Override
    public Duration ttl() {
        return properties.ttl();
    }

    @Override
    public String backend() {
        return "in-process";
    }
}
