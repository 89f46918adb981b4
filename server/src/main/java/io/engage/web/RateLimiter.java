package io.engage.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Per-minute token buckets (Bucket4j). With Redis configured the buckets live in Redis, so every node shares one
 * limit; while Redis is unreachable each node falls back to its own buckets rather than refusing or letting
 * everything through.
 */
@Service
public class RateLimiter {

    /** The outcome: allowed, or refused with the seconds until a request would be allowed again. */
    public record Decision(boolean allowed, long retryAfterSeconds) {
    }

    private static final String KEY_PREFIX = "engage:rate:";

    private final RedisLink redis;
    private final Cache<String, Bucket> localBuckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(2)).maximumSize(200_000).build();
    private final Cache<String, Bucket> sharedProxies = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(2)).maximumSize(200_000).build();
    private volatile ProxyManager<String> redisBuckets;

    RateLimiter(ObjectProvider<RedisLink> redis) {
        this.redis = redis.getIfAvailable();
    }

    /** Takes one request from the bucket {@code key}, which refills {@code perMinute} requests per minute. */
    public Decision tryAcquire(String key, int perMinute) {
        // the limit is part of the key, so a changed limit starts a fresh bucket instead of keeping the old one
        String bucketKey = KEY_PREFIX + key + ":" + perMinute;
        Optional<ProxyManager<String>> shared = sharedBuckets();
        if (shared.isPresent()) {
            try {
                // one proxy per key and node, so that batching can merge concurrent requests for the same bucket
                // into one compare-and-swap instead of a hundred that retry against each other
                Bucket bucket = sharedProxies.get(bucketKey, name -> shared.get().builder()
                        .withOptimization(Optimizations.batching()).build(name, () -> configuration(perMinute)));
                Decision decision = decide(bucket);
                redis.reportSuccess();
                return decision;
            } catch (RedisException e) {
                redis.reportFailure("rate limits", e);
            }
        }
        return decide(localBuckets.get(bucketKey, k -> Bucket.builder().addLimit(perMinute(perMinute)).build()));
    }

    private static Decision decide(Bucket bucket) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return new Decision(true, 0);
        }
        return new Decision(false, Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1));
    }

    private static BucketConfiguration configuration(int perMinute) {
        return BucketConfiguration.builder().addLimit(perMinute(perMinute)).build();
    }

    /** The one limit both kinds of bucket enforce: {@code count} requests, refilled smoothly over a minute. */
    private static Bandwidth perMinute(int count) {
        return Bandwidth.builder().capacity(count).refillGreedy(count, Duration.ofMinutes(1)).build();
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
