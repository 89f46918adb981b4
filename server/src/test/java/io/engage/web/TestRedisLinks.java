package io.engage.web;

import java.time.Duration;

/** A {@link RedisLink} outside Spring, with the production timeouts, for tests of the features that use Redis. */
public final class TestRedisLinks {

    private TestRedisLinks() {
    }

    public static RedisLink connect(String url) {
        return new RedisLink(new RedisProperties(url, false, Duration.ofMillis(300), Duration.ofMillis(500),
                Duration.ofMillis(100)));
    }
}
