package io.engage.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Token buckets (Bucket4j): the agent API's per-minute limits and sign-in throttling. With Redis configured the
 * buckets live in Redis, so every node shares one limit; while Redis is unreachable each node falls back to its own
 * buckets rather than refusing or letting everything through.
 */
@Service
public class RateLimiter {

    /** The outcome: allowed, or refused with the seconds until a request would be allowed again. */
    public record Decision(boolean allowed, long retryAfterSeconds) {
    }

    /**
     * How closely the nodes keep a bucket shared through Redis in step (without Redis every bucket is exact). A bucket
     * key is meant for one kind: a node keeps the kind a key was first used with.
     */
    public enum Sharing {
        /** Every take is a Redis round trip (two: read, then compare-and-swap): for security limits. */
        EXACT,
        /**
         * For throughput budgets such as the agent API's: a bucket of at least {@value #MIN_SLACK_CAPACITY} tokens
         * is counted on each node between syncs, each node taking at most 1/{@value #SLACK_DIVISOR} of the
         * capacity, and for at most {@link #MAX_UNSYNCED_TIME}, before it reconciles with Redis. Together the nodes
         * may so let through up to 2 % of the capacity per node more than the budget, never less; smaller buckets
         * are exact. A request that finds its node's view of the bucket empty is refused without asking Redis
         * (the shared bucket can only be emptier).
         */
        BOUNDED_SLACK
    }

    /** Below this capacity a 2 % slack is less than two tokens, so {@link Sharing#BOUNDED_SLACK} buckets are exact. */
    static final int MIN_SLACK_CAPACITY = 100;
    static final int SLACK_DIVISOR = 50;
    static final Duration MAX_UNSYNCED_TIME = Duration.ofMillis(500);

    private static final String KEY_PREFIX = "engage:rate:";

    private final RedisLink redis;

    /** A bucket of this node and how long it must outlive its last use: its period, after which it is full again. */
    private record LocalBucket(Bucket bucket, Duration keep) {
    }

    // forgetting a bucket before its period has passed would hand out a fresh budget (e.g. a 15-minute sign-in
    // failure window reset after two idle minutes), so each is kept for its own period after its last use
    private final Cache<String, LocalBucket> localBuckets;
    private final Cache<String, Bucket> sharedProxies = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(2)).maximumSize(200_000).build();
    private volatile ProxyManager<String> redisBuckets;

    @Autowired
    RateLimiter(ObjectProvider<RedisLink> redis) {
        this(redis.getIfAvailable(), Ticker.systemTicker());
    }

    private RateLimiter(RedisLink redis, Ticker ticker) {
        this.redis = redis;
        this.localBuckets = Caffeine.newBuilder().ticker(ticker)
                .expireAfter(Expiry.accessing((String key, LocalBucket local) -> local.keep()))
                .maximumSize(200_000).build();
    }

    /** Buckets of this process only, as without Redis (for unit tests of the features that take limits). */
    public static RateLimiter inProcess() {
        return inProcess(Ticker.systemTicker());
    }

    /** The same, forgetting idle buckets by {@code ticker}'s clock. */
    static RateLimiter inProcess(Ticker ticker) {
        return new RateLimiter(null, ticker);
    }

    /** Buckets shared through {@code redis}, as on a node with Redis configured (for tests of several nodes). */
    static RateLimiter sharedThrough(RedisLink redis) {
        return new RateLimiter(redis, Ticker.systemTicker());
    }

    /** Takes one request from the bucket {@code key}, which refills {@code perMinute} requests per minute. */
    public Decision tryAcquire(String key, int perMinute, Sharing sharing) {
        return tryAcquire(key, perMinute, Duration.ofMinutes(1), sharing);
    }

    /** Takes one token from the bucket {@code key}: {@code capacity} tokens, refilled over {@code period}. */
    public Decision tryAcquire(String key, int capacity, Duration period, Sharing sharing) {
        return withBucket(key, capacity, period, sharing, RateLimiter::decide);
    }

    /**
     * Takes one token from the bucket {@code key}, which holds {@code capacity} and refills them over {@code period};
     * exact across nodes.
     */
    public Decision tryAcquire(String key, int capacity, Duration period) {
        return tryAcquire(key, capacity, period, Sharing.EXACT);
    }

    /** Looks without taking: 0 when the bucket has a token now, else the seconds until it will. */
    public long secondsUntilAvailable(String key, int capacity, Duration period) {
        return withBucket(key, capacity, period, Sharing.EXACT, bucket -> bucket.getAvailableTokens() > 0 ? 0L
                : seconds(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
    }

    /** Forgets the bucket (full again on its next use), on every node. */
    public void reset(String key, int capacity, Duration period) {
        String bucketKey = bucketKey(key, capacity, period);
        localBuckets.invalidate(bucketKey);
        sharedProxies.invalidate(bucketKey);
        sharedBuckets().ifPresent(shared -> {
            try {
                shared.removeProxy(bucketKey);
                redis.reportSuccess();
            } catch (RedisException e) {
                redis.reportFailure("rate limits", e);
            }
        });
    }

    private <T> T withBucket(String key, int capacity, Duration period, Sharing sharing,
            Function<Bucket, T> action) {
        String bucketKey = bucketKey(key, capacity, period);
        Optional<ProxyManager<String>> shared = sharedBuckets();
        if (shared.isPresent()) {
            try {
                // one proxy per key and node: its optimization keeps state across this node's requests
                Bucket bucket = sharedProxies.get(bucketKey, name -> shared.get().builder()
                        .withOptimization(optimization(capacity, sharing))
                        .build(name, () -> BucketConfiguration.builder().addLimit(limit(capacity, period)).build()));
                T result = action.apply(bucket);
                redis.reportSuccess();
                return result;
            } catch (RedisException e) {
                redis.reportFailure("rate limits", e);
            }
        }
        return action.apply(localBuckets.get(bucketKey, k -> new LocalBucket(
                Bucket.builder().addLimit(limit(capacity, period)).build(), max(period, Duration.ofMinutes(2))))
                .bucket());
    }

    /**
     * Batching merges this node's concurrent takes from one bucket into one compare-and-swap instead of a hundred
     * that retry against each other; delaying (which batches too) also spares the round trips of most takes.
     */
    private static Optimization optimization(int capacity, Sharing sharing) {
        if (sharing == Sharing.EXACT || capacity < MIN_SLACK_CAPACITY) {
            return Optimizations.batching();
        }
        return Optimizations.delaying(new DelayParameters(capacity / SLACK_DIVISOR, MAX_UNSYNCED_TIME));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The limit is part of the key, so a changed limit starts a fresh bucket instead of keeping the old one. */
    private static String bucketKey(String key, int capacity, Duration period) {
        Duration minute = Duration.ofMinutes(1);
        return KEY_PREFIX + key + ":" + capacity + (period.equals(minute) ? "" : "/" + period.toSeconds() + "s");
    }

    private static Decision decide(Bucket bucket) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return new Decision(true, 0);
        }
        return new Decision(false, seconds(probe.getNanosToWaitForRefill()));
    }

    private static long seconds(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos) + 1);
    }

    /** The one kind of limit both kinds of bucket enforce: {@code capacity} tokens, refilled smoothly over {@code period}. */
    private static Bandwidth limit(int capacity, Duration period) {
        return Bandwidth.builder().capacity(capacity).refillGreedy(capacity, period).build();
    }

    private Optional<ProxyManager<String>> sharedBuckets() {
        if (redis == null) {
            return Optional.empty();
        }
        if (redisBuckets == null) {
            redis.bucketsBuilder().ifPresent(builder -> {
                synchronized (this) {
                    if (redisBuckets == null) {
                        redisBuckets = builder
                                .expirationAfterWrite(ExpirationAfterWriteStrategy
                                        .basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                                .build();
                    }
                }
            });
        }
        return Optional.ofNullable(redisBuckets);
    }
}
