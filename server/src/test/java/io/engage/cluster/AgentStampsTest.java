package io.engage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.engage.support.RedisProcess;
import io.engage.web.RedisLink;
import io.engage.web.TestRedisLinks;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

/**
 * Two "nodes" (two {@link AgentStamps}, each with its own connection) on a redis-server of the test's own: what one
 * node caches is reloaded as soon as the other changes the agent, never before its transaction commits, and never
 * trusted across a Redis outage.
 */
class AgentStampsTest {

    private final UUID agent = UUID.randomUUID();
    private final UUID otherAgent = UUID.randomUUID();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private RedisProcess redis;
    private AgentStamps nodeA;
    private AgentStamps nodeB;
    private StampedCache<UUID, String> cacheA;
    /** What the "database" holds per agent, and how often node A read it. */
    private final AtomicInteger version = new AtomicInteger(1);
    private final AtomicInteger loads = new AtomicInteger();

    @BeforeEach
    void twoNodes() throws Exception {
        assumeTrue(RedisProcess.available(), "redis-server is not installed");
        redis = new RedisProcess();
        nodeA = node(redis.url());
        nodeB = node(redis.url());
        cacheA = nodeA.newCache(100);
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

    private AgentStamps node(String url) {
        RedisLink link = TestRedisLinks.connect(url);
        AgentStamps stamps = new AgentStamps(link);
        closing.add(stamps::stop);
        closing.add(link);
        return stamps;
    }

    private String readOnA(UUID agentId) {
        return cacheA.get(agentId, agentId, () -> {
            loads.incrementAndGet();
            return "v" + version.get();
        });
    }

    @Test
    void aChangeOnOneNodeIsSeenByTheOtherFromItsNextRead() {
        assertThat(readOnA(agent)).isEqualTo("v1");
        assertThat(readOnA(otherAgent)).isEqualTo("v1");
        assertThat(readOnA(agent)).isEqualTo("v1");
        assertThat(loads).as("the second read is served from the cache").hasValue(2);

        version.set(2);
        nodeB.changed(agent);
        assertThat(readOnA(agent)).isEqualTo("v2");
        assertThat(readOnA(otherAgent)).as("other agents' entries stay").isEqualTo("v1");
        assertThat(loads).hasValue(3);
    }

    @Test
    void aChangeIsAnnouncedOnlyWhenItsTransactionCommits() {
        readOnA(agent);
        TransactionSynchronizationManager.initSynchronization();
        try {
            version.set(2);
            nodeB.changed(agent);
            assertThat(readOnA(agent)).as("not committed yet").isEqualTo("v1");
            TransactionSynchronizationUtils.invokeAfterCommit(TransactionSynchronizationManager.getSynchronizations());
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
        assertThat(readOnA(agent)).isEqualTo("v2");

        // rolled back: no afterCommit, so nothing is announced (and nothing needs to be)
        TransactionSynchronizationManager.initSynchronization();
        try {
            nodeB.changed(agent);
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
        int before = loads.get();
        readOnA(agent);
        assertThat(loads).hasValue(before);
    }

    @Test
    void aPinnedRequestSeesOneStampThroughout() {
        readOnA(agent);
        try (AgentStamps.Scope pinned = nodeA.pin()) {
            assertThat(readOnA(agent)).isEqualTo("v1");
            version.set(2);
            nodeB.changed(agent);
            assertThat(readOnA(agent)).as("the request read its stamp once, before the change").isEqualTo("v1");
        }
        assertThat(readOnA(agent)).as("the next request sees the change").isEqualTo("v2");
    }

    @Test
    void aPrefetchedStampIsReadOnceAndOnlyInsideARequest() {
        readOnA(agent);
        nodeA.prefetch(agent);
        long before = gets();
        readOnA(agent);
        assertThat(gets() - before).as("outside a request a prefetch sends nothing; the read sends its GET")
                .isEqualTo(1);
        try (AgentStamps.Scope pinned = nodeA.pin()) {
            version.set(2);
            nodeB.changed(agent);
            before = gets();
            nodeA.prefetch(agent);
            nodeA.prefetch(agent);
            assertThat(readOnA(agent)).as("the prefetched stamp is the new one").isEqualTo("v2");
            assertThat(readOnA(agent)).isEqualTo("v2");
            assertThat(gets() - before).as("one GET for the request").isEqualTo(1);
        }
    }

    @Test
    void aChangeMadeAfterAPrefetchIsSeenLaterInTheSameRequest() {
        readOnA(agent);
        try (AgentStamps.Scope pinned = nodeA.pin()) {
            nodeA.prefetch(agent);
            version.set(2);
            nodeA.changed(agent);
            assertThat(readOnA(agent)).as("the stamp asked for before the change is not used").isEqualTo("v2");
        }
    }

    @Test
    void aPrefetchDuringAnOutageLeavesTheReadToDecide() throws Exception {
        readOnA(agent);
        redis.stop();
        try (AgentStamps.Scope pinned = nodeA.pin()) {
            nodeA.prefetch(agent); // its answer is an error, or never comes
            assertThat(readOnA(agent)).as("not served from the cache").isEqualTo("v1");
            assertThat(loads).hasValue(2);
        }
    }

    /** GET commands Redis has run so far. */
    private long gets() {
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (String line : connection.sync().info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_get:")) {
                    return Long.parseLong(line.replaceAll("^cmdstat_[a-z]+:calls=(\\d+),.*", "$1"));
                }
            }
            return 0;
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aChangeOnTheSameNodeIsSeenLaterInTheSameRequest() {
        try (AgentStamps.Scope pinned = nodeA.pin()) {
            assertThat(readOnA(agent)).isEqualTo("v1");
            version.set(2);
            nodeA.changed(agent);
            assertThat(readOnA(agent)).isEqualTo("v2");
        }
    }

    @Test
    void nullsAreNotCached() {
        StampedCache<String, String> keys = nodeA.newCache(100);
        AtomicInteger lookups = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThat(keys.get(agent, "guessed-key", () -> {
                lookups.incrementAndGet();
                return null;
            })).isNull();
        }
        assertThat(lookups).hasValue(3);
    }

    @Test
    void withoutRedisNothingIsCached() {
        AgentStamps alone = new AgentStamps((RedisLink) null);
        StampedCache<UUID, String> cache = alone.newCache(100);
        AtomicInteger lookups = new AtomicInteger();
        cache.get(agent, agent, () -> "v" + lookups.incrementAndGet());
        assertThat(cache.get(agent, agent, () -> "v" + lookups.incrementAndGet())).isEqualTo("v2");
    }

    @Test
    void duringARedisOutageNothingIsCachedAndARestartedRedisInvalidatesEverything() throws Exception {
        readOnA(agent);
        readOnA(agent);
        assertThat(loads).hasValue(1);

        redis.stop();
        readOnA(agent);
        readOnA(agent);
        assertThat(loads).as("every read goes to the database while stamps cannot be read").hasValue(3);

        redis.start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            int before = loads.get();
            readOnA(agent);
            readOnA(agent);
            if (loads.get() == before + 1) {
                return; // reconnected: one reload under the new stamp, then cached again
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node A did not cache again after Redis came back");
    }

    @Test
    void aChangeThatCouldNotBeAnnouncedIsAnnouncedOnceRedisTakesItsWrites() throws Exception {
        readOnA(agent);
        RedisClient admin = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = admin.connect()) {
            // node C may read but not write: its announcement fails until it is allowed to write
            connection.sync().aclSetuser("nodec", io.lettuce.core.AclSetuserArgs.Builder.on().addPassword("secret")
                    .allKeys().addCommand(io.lettuce.core.protocol.CommandType.GET)
                    .addCommand(io.lettuce.core.protocol.CommandType.PING));
            AgentStamps nodeC = node(redis.url().replace("redis://", "redis://nodec:secret@"));
            version.set(2);
            nodeC.changed(agent);
            assertThat(readOnA(agent)).as("not announced yet").isEqualTo("v1");

            connection.sync().aclSetuser("nodec", io.lettuce.core.AclSetuserArgs.Builder.allCommands());
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (Instant.now().isBefore(deadline) && !"v2".equals(readOnA(agent))) {
                Thread.sleep(100);
            }
            assertThat(readOnA(agent)).as("node C retried its announcement").isEqualTo("v2");
        } finally {
            admin.shutdown();
        }
    }
}
