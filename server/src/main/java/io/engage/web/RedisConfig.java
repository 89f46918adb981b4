package io.engage.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Creates the {@link RedisLink} only when {@code SPRING_DATA_REDIS_URL} (engage.redis.url) is set. */
@Configuration(proxyBeanMethods = false)
class RedisConfig {

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("!'${engage.redis.url:}'.isBlank()")
    RedisLink redisLink(RedisProperties properties) {
        return new RedisLink(properties);
    }
}
