package io.engage.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.engage.support.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two "nodes" (two {@link RateLimiter}s, each with its own connection) sharing buckets through a redis-server of the
 * test's own: exact buckets are exact across nodes; a bounded-slack bucket overshoots by at most its slack per node,
 * never refuses early, and spares most of its round trips.
 */
class SharedRateLimiterTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private final List<AutoCloseable> closing = new ArrayList<>();
    private RedisProcess redis;
    private RateLimiter nodeA;
    private RateLimiter nodeB;
    private StatefulRedisConnection<String, String> admin;

    @BeforeEach
    void twoNodes() throws Exception {
        assumeTrue(RedisProcess.available(), "redis-server is not installed");
        redis = new RedisProcess();
        nodeA = node();
        nodeB = node();
        RedisClient client = RedisClient.create(redis.url());
        closing.add(client::shutdown);
        admin = client.connect();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private RateLimiter node() {
        RedisLink link = TestRedisLinks.connect(redis.url());
        closing.add(link);
        return RateLimiter.sharedThrough(link);
    }

    @Test
    void anExactBucketIsOneBudgetForAllNodes() {
        assertThat(nodeA.tryAcquire("login", 3, HOUR).allowed()).isTrue();
        assertThat(nodeB.tryAcquire("login", 3, HOUR).allowed()).isTrue();
        assertThat(nodeA.tryAcquire("login", 3, HOUR).allowed()).isTrue();
        assertThat(nodeB.tryAcquire("login", 3, HOUR).allowed()).isFalse();
        assertThat(nodeA.tryAcquire("login", 3, HOUR).allowed()).isFalse();
    }

    @Test
    void aSmallSlackBucketIsExactToo() {
        // 2 % of 60 would be one token, so there is no slack
        int allowed = 0;
        for (int i = 0; i < 80; i++) {
            RateLimiter node = i % 2 == 0 ? nodeA : nodeB;
            allowed += node.tryAcquire("user:small", 60, HOUR, RateLimiter.Sharing.BOUNDED_SLACK).allowed() ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(60);
    }

    @Test
    void aLargeSlackBucketOvershootsByAtMostItsSlackPerNodeAndNeverRefusesEarly() {
        int capacity = 6_000; // slack 120 tokens per node
        int slack = capacity / RateLimiter.SLACK_DIVISOR;
        long commandsBefore = commandsProcessed();
        long start = System.nanoTime();
        int allowed = 0;
        for (int i = 0; i < capacity + 1_000; i++) {
            RateLimiter node = i % 2 == 0 ? nodeA : nodeB;
            allowed += node.tryAcquire("agent:large", capacity, HOUR, RateLimiter.Sharing.BOUNDED_SLACK).allowed()
                    ? 1 : 0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long refilled = (long) Math.ceil(seconds * capacity / HOUR.toSeconds());
        assertThat(allowed).as("allowed in %.2f s", seconds).isGreaterThanOrEqualTo(capacity)
                .isLessThanOrEqualTo((int) (capacity + 2 * slack + refilled));
        long commands = commandsProcessed() - commandsBefore - 1;
        // exact buckets make two commands per take; here a node syncs after 120 takes or 500 ms (and both nodes
        // once per take while their views are empty and the loop runs on: refusals are local, so not then either)
        assertThat(commands).as("Redis commands for %d takes", capacity + 1_000).isLessThan((capacity + 1_000) / 10);
    }

    @Test
    void theSlackBucketOfOneNodeSeesWhatTheOtherTookAtItsNextSync() throws InterruptedException {
        int capacity = 1_000; // slack 20 per node
        for (int i = 0; i < capacity; i++) {
            assertThat(nodeA.tryAcquire("agent:seen", capacity, HOUR, RateLimiter.Sharing.BOUNDED_SLACK).allowed())
                    .isTrue();
        }
        // node B first synced now: its view starts from what node A had handed back by its last sync
        int allowedOnB = 0;
        for (int i = 0; i < 100; i++) {
            allowedOnB += nodeB.tryAcquire("agent:seen", capacity, HOUR, RateLimiter.Sharing.BOUNDED_SLACK).allowed()
                    ? 1 : 0;
        }
        assertThat(allowedOnB).as("at most node A's unsynced slack").isLessThanOrEqualTo(20 + 1);
        Thread.sleep(RateLimiter.MAX_UNSYNCED_TIME.toMillis() + 100);
        // after the timeout both nodes reconcile: the budget is spent, whatever each node thought
        assertThat(nodeA.tryAcquire("agent:seen", capacity, HOUR, RateLimiter.Sharing.BOUNDED_SLACK).allowed())
                .isFalse();
    }

    private long commandsProcessed() {
        String stats = admin.sync().info("stats");
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("total_commands_processed:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalStateException("no total_commands_processed in " + stats);
    }
}
