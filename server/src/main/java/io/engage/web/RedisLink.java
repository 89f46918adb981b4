package io.engage.web;

import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's connections to the shared Redis, when one is configured: a single server (or a replicated one behind a
 * single address), or a Redis Cluster ({@code engage.redis.cluster}, with one or more seed nodes in the URL, comma
 * separated). Every key Engage uses is touched alone or by a one-key script, so every command works on a cluster.
 * Connects lazily, so the server starts (and answers, without memory) while Redis is down; once connected, Lettuce
 * reconnects by itself after an outage and rejects commands at once while disconnected instead of queueing them.
 * Callers treat every {@link RedisException} as "Redis unavailable right now" and degrade.
 */
public class RedisLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    private static final RedisCodec<String, byte[]> BINARY_VALUES = RedisCodec.of(StringCodec.UTF8,
            ByteArrayCodec.INSTANCE);

    /**
     * The commands of one connection that a single Redis and a Redis Cluster both take (on a cluster, Lettuce routes
     * each to the node owning its key, and SCAN and multi-key UNLINK span the nodes).
     */
    public record Commands<V>(StatefulConnection<String, V> connection, RedisClusterAsyncCommands<String, V> async,
            RedisClusterCommands<String, V> sync) {

        public static <V> Commands<V> of(StatefulRedisConnection<String, V> connection) {
            return new Commands<>(connection, connection.async(), connection.sync());
        }

        public static <V> Commands<V> of(StatefulRedisClusterConnection<String, V> connection) {
            return new Commands<>(connection, connection.async(), connection.sync());
        }

        /** How long a command may take before it fails. */
        public Duration timeout() {
            return connection.getTimeout();
        }
    }

    private final RedisClient client;
    private final RedisClusterClient clusterClient;
    private final RedisProperties properties;
    private volatile Commands<String> strings;
    private volatile Commands<byte[]> bytes;
    private volatile Instant nextAttempt = Instant.MIN;
    private volatile boolean reportedDown;

    RedisLink(RedisProperties properties) {
        this.properties = properties;
        List<RedisURI> uris = Arrays.stream(properties.url().split(",")).map(String::trim)
                .filter(url -> !url.isEmpty()).map(url -> {
                    RedisURI uri = RedisURI.create(url);
                    uri.setTimeout(properties.commandTimeout());
                    return uri;
                }).toList();
        if (uris.isEmpty()) {
            throw new IllegalStateException("engage.redis.url names no Redis");
        }
        ClientOptions options = ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(properties.connectTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
                .build();
        if (properties.cluster()) {
            this.client = null;
            this.clusterClient = RedisClusterClient.create(uris);
            // the same options, and: failovers and resharding move slots, so follow MOVED/ASK at once and look again
            // every minute
            clusterClient.setOptions(ClusterClientOptions.builder(options)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .enablePeriodicRefresh(Duration.ofMinutes(1))
                            .build())
                    .build());
        } else {
            if (uris.size() > 1) {
                throw new IllegalStateException("engage.redis.url names several servers: set engage.redis.cluster "
                        + "(ENGAGE_REDIS_CLUSTER=true) for a Redis Cluster, or give one URL");
            }
            this.clusterClient = null;
            this.client = RedisClient.create(uris.get(0));
            client.setOptions(options);
        }
    }

    /** String commands, or empty while Redis cannot be reached. */
    public Optional<Commands<String>> strings() {
        connectIfDue();
        return Optional.ofNullable(strings);
    }

    /** Commands with binary values, or empty while Redis cannot be reached. */
    public Optional<Commands<byte[]>> bytes() {
        connectIfDue();
        return Optional.ofNullable(bytes);
    }

    /** Whether this is a Redis Cluster. */
    public boolean cluster() {
        return clusterClient != null;
    }

    /** Bucket4j's shared buckets (compare-and-swap) on the binary connection, or empty while Redis is unreachable. */
    Optional<Bucket4jLettuce.LettuceBasedProxyManagerBuilder<String>> bucketsBuilder() {
        return bytes().map(commands -> commands.connection() instanceof StatefulRedisClusterConnection<String, byte[]> c
                ? Bucket4jLettuce.casBasedBuilder(c)
                : Bucket4jLettuce.casBasedBuilder((StatefulRedisConnection<String, byte[]>) commands.connection()));
    }

    /** Logs an outage once per episode (not once per request). */
    public void reportFailure(String what, RuntimeException e) {
        if (!reportedDown) {
            reportedDown = true;
            log.warn("Redis unavailable ({}): {}; continuing without it until it is back", what, e.toString());
        }
    }

    /** Call after a successful command so the next outage is logged again. */
    public void reportSuccess() {
        if (reportedDown) {
            reportedDown = false;
            log.info("Redis is available again");
        }
    }

    private void connectIfDue() {
        if (strings != null && bytes != null) {
            return;
        }
        synchronized (this) {
            if ((strings != null && bytes != null) || Instant.now().isBefore(nextAttempt)) {
                return;
            }
            try {
                if (strings == null) {
                    strings = cluster() ? Commands.of(clusterClient.connect()) : Commands.of(client.connect());
                }
                if (bytes == null) {
                    bytes = cluster() ? Commands.of(clusterClient.connect(BINARY_VALUES))
                            : Commands.of(client.connect(BINARY_VALUES));
                }
                log.info("Connected to Redis {}at {}", cluster() ? "Cluster " : "", redacted(properties.url()));
                reportedDown = false;
            } catch (RedisException e) {
                nextAttempt = Instant.now().plus(properties.reconnectInterval());
                reportFailure("connect", e);
            }
        }
    }

    /** The URL (or URLs) without passwords. */
    static String redacted(String url) {
        return url.replaceAll("//[^@/,]*@", "//***@");
    }

    @Override
    public void close() {
        if (client != null) {
            client.shutdown();
        } else {
            clusterClient.shutdown();
        }
    }
}
