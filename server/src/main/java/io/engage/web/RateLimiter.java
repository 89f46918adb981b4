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

    /** Takes one request from the bucket {@code key}, which refills {@code perMinute} requests per minute. */
    public Decision tryAcquire(String key, int perMinute) {
        return tryAcquire(key, perMinute, Duration.ofMinutes(1));
    }

    /** Takes one token from the bucket {@code key}, which holds {@code capacity} and refills them over {@code period}. */
    public Decision tryAcquire(String key, int capacity, Duration period) {
        return withBucket(key, capacity, period, RateLimiter::decide);
    }

    /** Looks without taking: 0 when the bucket has a token now, else the seconds until it will. */
    public long secondsUntilAvailable(String key, int capacity, Duration period) {
        return withBucket(key, capacity, period, bucket -> bucket.getAvailableTokens() > 0 ? 0L
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

    private <T> T withBucket(String key, int capacity, Duration period, Function<Bucket, T> action) {
        String bucketKey = bucketKey(key, capacity, period);
        Optional<ProxyManager<String>> shared = sharedBuckets();
        if (shared.isPresent()) {
            try {
                // one proxy per key and node, so that batching can merge concurrent requests for the same bucket
                // into one compare-and-swap instead of a hundred that retry against each other
                Bucket bucket = sharedProxies.get(bucketKey, name -> shared.get().builder()
                        .withOptimization(Optimizations.batching())
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
            redis.bytes().ifPresent(connection -> {
                synchronized (this) {
                    if (redisBuckets == null) {
                        redisBuckets = Bucket4jLettuce.casBasedBuilder(connection)
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
