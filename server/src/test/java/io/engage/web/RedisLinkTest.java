package io.engage.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How {@code engage.redis.url} and {@code engage.redis.cluster} are read (no Redis needed: connecting is lazy). */
class RedisLinkTest {

    private static RedisLink link(String url, boolean cluster) {
        return new RedisLink(new RedisProperties(url, cluster, Duration.ofMillis(300), Duration.ofMillis(500),
                Duration.ofSeconds(5)));
    }

    @Test
    void severalUrlsNeedClusterMode() {
        assertThatThrownBy(() -> link("redis://10.0.0.1:6379,redis://10.0.0.2:6379", false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ENGAGE_REDIS_CLUSTER");
        try (RedisLink cluster = link("redis://10.0.0.1:6379, redis://10.0.0.2:6379", true)) {
            assertThat(cluster.cluster()).isTrue();
        }
        try (RedisLink single = link("redis://10.0.0.1:6379", false)) {
            assertThat(single.cluster()).isFalse();
        }
    }

    @Test
    void aUrlListNamingNoServerIsRefused() {
        assertThatThrownBy(() -> link(" , ", true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("names no Redis");
    }

    @Test
    void passwordsAreLeftOutOfEveryUrlLogged() {
        assertThat(RedisLink.redacted("redis://:s3cret@10.0.0.1:6379,rediss://user:p4ss@10.0.0.2:6380/0"))
                .isEqualTo("redis://***@10.0.0.1:6379,rediss://***@10.0.0.2:6380/0")
                .doesNotContain("s3cret").doesNotContain("p4ss");
    }
}
