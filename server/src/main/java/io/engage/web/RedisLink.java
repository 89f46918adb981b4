package io.engage.web;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's connections to the shared Redis, when one is configured. Connects lazily, so the server starts (and
 * answers, without memory) while Redis is down; once connected, Lettuce reconnects by itself after an outage and
 * rejects commands at once while disconnected instead of queueing them. Callers treat every {@link RedisException}
 * as "Redis unavailable right now" and degrade.
 */
public class RedisLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    private final RedisClient client;
    private final RedisProperties properties;
    private volatile StatefulRedisConnection<String, String> strings;
    private volatile StatefulRedisConnection<String, byte[]> bytes;
    private volatile Instant nextAttempt = Instant.MIN;
    private volatile boolean reportedDown;

    RedisLink(RedisProperties properties) {
        this.properties = properties;
        RedisURI uri = RedisURI.create(properties.url());
        uri.setTimeout(properties.commandTimeout());
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(properties.connectTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
                .build());
    }

    /** A string connection, or empty while Redis cannot be reached. */
    public Optional<StatefulRedisConnection<String, String>> strings() {
        connectIfDue();
        return Optional.ofNullable(strings);
    }

    /** A connection with binary values (rate-limit bucket state), or empty while Redis cannot be reached. */
    public Optional<StatefulRedisConnection<String, byte[]>> bytes() {
        connectIfDue();
        return Optional.ofNullable(bytes);
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
                    strings = client.connect();
                }
                if (bytes == null) {
                    bytes = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
                }
                log.info("Connected to Redis at {}", redacted(properties.url()));
                reportedDown = false;
            } catch (RedisException e) {
                nextAttempt = Instant.now().plus(properties.reconnectInterval());
                reportFailure("connect", e);
            }
        }
    }

    /** The URL without its password. */
    static String redacted(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
