package io.engage.memory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.agents.AgentDeleted;
import io.engage.crypto.SecretCipher;
import io.engage.web.RedisLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.event.TransactionalEventListener;

/** Redis memory when Redis is configured, in-process otherwise; forgets an agent's memory when it is deleted. */
@Configuration(proxyBeanMethods = false)
class MemoryConfig {

    private static final Logger log = LoggerFactory.getLogger(MemoryConfig.class);

    @Bean
    ConversationMemory conversationMemory(ObjectProvider<RedisLink> redis, MemoryProperties properties,
            ObjectMapper json, SecretCipher cipher) {
        RedisLink link = redis.getIfAvailable();
        ConversationMemory memory = link == null ? new InProcessConversationMemory(properties)
                : new RedisConversationMemory(link, properties, json, cipher);
        log.info("Short-term memory: {} (TTL {}, {} turns)", memory.backend(), properties.ttl(),
                properties.maxTurns());
        return memory;
    }

    @Bean
    AgentMemoryCleanup agentMemoryCleanup(ConversationMemory memory) {
        return new AgentMemoryCleanup(memory);
    }

    static class AgentMemoryCleanup {

        private final ConversationMemory memory;

        AgentMemoryCleanup(ConversationMemory memory) {
            this.memory = memory;
        }

        @TransactionalEventListener(fallbackExecution = true)
        void onAgentDeleted(AgentDeleted event) {
            memory.forgetAgent(event.agentId());
        }
    }
}
