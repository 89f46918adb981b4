package io.engage.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code engage.redis.*}: the optional Redis shared by all nodes (short-term memory, rate limits). {@code url} is
 * {@code SPRING_DATA_REDIS_URL}; empty means none (in-process memory and per-node limits). Timeouts are short on
 * purpose: Redis is a cache here, and a slow Redis must degrade answers (no memory), not stall them.
 */
@ConfigurationProperties(prefix = "engage.redis")
record RedisProperties(
        String url,
        /* a Redis Cluster: url lists one or more of its nodes (comma separated), the rest are discovered */
        @DefaultValue("false") boolean cluster,
        @DefaultValue("300ms") Duration commandTimeout,
        @DefaultValue("500ms") Duration connectTimeout,
        /* while Redis is unreachable, try to connect again at most this often */
        @DefaultValue("5s") Duration reconnectInterval) {
}
