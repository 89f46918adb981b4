package io.engage.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Values read about agents, each kept under the stamp its agent had when it was read and returned only while the
 * agent still has that stamp (see {@link AgentStamps}). Nulls are not cached: a key that does not exist (a guessed
 * API key, say) is looked up again every time, so guessing cannot fill the cache.
 */
public final class StampedCache<K, V> {

    /** A last resort should a change ever go unannounced: nothing is served from a cache for longer than this. */
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    private record Entry<V>(UUID agentId, String stamp, V value) {
    }

    private final AgentStamps stamps;
    private final Cache<K, Entry<V>> entries;

    StampedCache(AgentStamps stamps, long maximumSize) {
        this.stamps = stamps;
        this.entries = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(MAX_AGE).build();
    }

    /**
     * The value of {@code key}, which belongs to {@code agentId}: cached while the agent is unchanged, otherwise
     * (or when nothing is cached) {@code loader}'s, which is then cached unless it is null.
     */
    public V get(UUID agentId, K key, Supplier<V> loader) {
        // the stamp is read before loading: a change committed meanwhile gives a newer stamp, never an old value
        // under the newer stamp
        Optional<String> stamp = stamps.current(agentId);
        if (stamp.isEmpty()) {
            return loader.get();
        }
        Entry<V> entry = entries.getIfPresent(key);
        if (entry != null && entry.agentId().equals(agentId) && entry.stamp().equals(stamp.get())) {
            return entry.value();
        }
        V value = loader.get();
        if (value != null) {
            entries.put(key, new Entry<>(agentId, stamp.get(), value));
        }
        return value;
    }

    /** Forgets {@code key} on this node (after this node changed it in a way other nodes need not hear about). */
    public void invalidate(K key) {
        entries.invalidate(key);
    }

    void dropAll() {
        entries.invalidateAll();
    }
}
