package io.engage.cluster;

import io.engage.common.DaemonThreads;
import io.engage.web.RedisLink;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import jakarta.annotation.PreDestroy;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Change stamps per agent. Whoever changes what the agent API reads about an agent (its row, its keys, an end-user's
 * block, its knowledge) calls {@link #changed}; caches made by {@link #newCache} then stop returning what they read
 * before, on every node.
 *
 * <p>With Redis the stamp is a random token under {@code engage:stamp:{agentId}} (random, not a counter, so a
 * restarted Redis can never bring an old stamp back). It is written after the change's transaction commits and
 * before the request that made it returns, and read (once per request, see {@link #pin}) before anything is
 * loaded under it, so a client that saw its change succeed is never served the old value by any node. While Redis
 * cannot be reached the caches are bypassed and a failed stamp write is retried every second; as a last resort every
 * cached value is dropped after {@link StampedCache#MAX_AGE}. Without Redis nothing is cached: this node could not
 * hear of changes made by another one (several nodes on one PostgreSQL without Redis still revoke keys at once).
 */
@Service
public class AgentStamps {

    private static final Logger log = LoggerFactory.getLogger(AgentStamps.class);
    private static final String KEY_PREFIX = "engage:stamp:";
    /** An unread stamp key expires; the next read makes a new one, which only costs each node one reload. */
    private static final long STAMP_TTL_SECONDS = Duration.ofDays(2).toSeconds();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RedisLink redis;
    private final Set<UUID> unpublished = ConcurrentHashMap.newKeySet();
    private final List<StampedCache<?, ?>> caches = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Pin> pins = new ThreadLocal<>();
    private final ScheduledExecutorService retries;

    @Autowired
    AgentStamps(ObjectProvider<RedisLink> redis) {
        this(redis.getIfAvailable());
    }

    /** With stamps in {@code redis}; null for none (nothing is cached). */
    AgentStamps(RedisLink redis) {
        this.redis = redis;
        this.retries = redis == null ? null
                : Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("engage-stamp-retry"));
        if (retries != null) {
            retries.scheduleWithFixedDelay(this::publishUnpublished, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** A new cache of values read about agents, holding at most {@code maximumSize} of them. */
    public <K, V> StampedCache<K, V> newCache(long maximumSize) {
        StampedCache<K, V> cache = new StampedCache<>(this, maximumSize);
        caches.add(cache);
        return cache;
    }

    /**
     * What was read about the agent may have changed: after the current transaction commits (at once without one),
     * every node's caches stop returning it.
     */
    public void changed(UUID agentId) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    stamp(agentId);
                }
            });
        } else {
            stamp(agentId);
        }
    }

    /**
     * Until the returned scope is closed, this thread reads each stamp at most once: every lookup of one request
     * sees the same stamp, for one Redis read per agent per request. Scopes nest (an inner one does nothing).
     */
    public Scope pin() {
        if (pins.get() != null) {
            return () -> { };
        }
        pins.set(new Pin());
        return pins::remove;
    }

    /** A pinned stretch of a thread's work; closing it ends the pin. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Asks Redis for the agent's stamp without waiting for the answer, when this thread is pinned and has not read
     * it yet: a request about to send Redis other commands too then waits once for all of them (Lettuce pipelines
     * the commands of one connection). The first lookup under the agent takes the answer.
     */
    public void prefetch(UUID agentId) {
        Pin pin = pins.get();
        if (pin == null || agentId.equals(pin.agentId) || agentId.equals(pin.pendingAgentId) || redis == null
                || (!unpublished.isEmpty() && unpublished.contains(agentId))) {
            return;
        }
        Optional<RedisLink.Commands<String>> connection = redis.strings();
        if (connection.isEmpty()) {
            return;
        }
        try {
            pin.pending = connection.get().async().get(KEY_PREFIX + agentId);
            pin.pendingAgentId = agentId;
        } catch (RedisException e) {
            redis.reportFailure("change stamps", e); // the lookup reads it again (and fails the same way)
        }
    }

    /** The agent's current stamp, or empty when it cannot be known (Redis unreachable): then nothing is cached. */
    Optional<String> current(UUID agentId) {
        Pin pin = pins.get();
        if (pin != null && agentId.equals(pin.agentId)) {
            return pin.stamp;
        }
        RedisFuture<String> prefetched = null;
        if (pin != null && agentId.equals(pin.pendingAgentId)) {
            prefetched = pin.pending;
        }
        Optional<String> stamp = read(agentId, prefetched);
        if (pin != null) {
            pin.agentId = agentId;
            pin.stamp = stamp;
            pin.pendingAgentId = null;
            pin.pending = null;
        }
        return stamp;
    }

    /** Reads the stamp, or takes the answer to the GET sent by {@link #prefetch} when there is one. */
    private Optional<String> read(UUID agentId, RedisFuture<String> prefetched) {
        if (redis == null) {
            return Optional.empty();
        }
        if (!unpublished.isEmpty() && unpublished.contains(agentId)) {
            return Optional.empty(); // this node changed the agent and could not say so yet: trust no cache
        }
        Optional<RedisLink.Commands<String>> connection = redis.strings();
        if (connection.isEmpty()) {
            dropAll();
            return Optional.empty();
        }
        try {
            String key = KEY_PREFIX + agentId;
            String stamp = prefetched == null ? connection.get().sync().get(key)
                    : LettuceFutures.awaitOrCancel(prefetched, connection.get().timeout().toNanos(),
                            TimeUnit.NANOSECONDS);
            if (stamp == null) {
                // first read, or expired, or Redis restarted: agree on a new one (SET NX GET answers the winner)
                String fresh = newStamp();
                String existing = connection.get().sync().setGet(key, fresh, SetArgs.Builder.nx().ex(STAMP_TTL_SECONDS));
                stamp = existing == null ? fresh : existing;
            }
            redis.reportSuccess();
            return Optional.of(stamp);
        } catch (RedisException e) {
            redis.reportFailure("change stamps", e);
            // entries cached before the outage cannot be trusted after it: changes made meanwhile were not seen
            dropAll();
            return Optional.empty();
        }
    }

    private void stamp(UUID agentId) {
        Pin pin = pins.get();
        if (pin != null && agentId.equals(pin.agentId)) {
            pin.agentId = null; // the rest of this request reads the new stamp
        }
        if (pin != null && agentId.equals(pin.pendingAgentId)) {
            pin.pendingAgentId = null; // asked for before this change
            pin.pending = null;
        }
        if (redis == null) {
            return;
        }
        if (!publish(agentId)) {
            unpublished.add(agentId);
        }
    }

    private boolean publish(UUID agentId) {
        Optional<RedisLink.Commands<String>> connection = redis.strings();
        if (connection.isEmpty()) {
            return false;
        }
        try {
            connection.get().sync().set(KEY_PREFIX + agentId, newStamp(), SetArgs.Builder.ex(STAMP_TTL_SECONDS));
            redis.reportSuccess();
            return true;
        } catch (RedisException e) {
            redis.reportFailure("change stamps", e);
            return false;
        }
    }

    private void publishUnpublished() {
        for (UUID agentId : unpublished) {
            if (publish(agentId)) {
                unpublished.remove(agentId);
                log.info("Published the change of agent {} to the other nodes after a Redis outage", agentId);
            }
        }
    }

    private void dropAll() {
        caches.forEach(StampedCache::dropAll);
    }

    private static String newStamp() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @PreDestroy
    void stop() {
        if (retries != null) {
            retries.shutdownNow();
            publishUnpublished();
        }
    }

    /** The stamp read for one agent during one request. */
    private static final class Pin {
        private UUID agentId;
        private Optional<String> stamp;
        /** A stamp asked for by {@link #prefetch} and not taken yet. */
        private UUID pendingAgentId;
        private RedisFuture<String> pending;
    }
}
