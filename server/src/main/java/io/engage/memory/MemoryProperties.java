package io.engage.memory;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code engage.memory.*}. */
@ConfigurationProperties(prefix = "engage.memory")
record MemoryProperties(
        /* how long a conversation is remembered after its latest turn */
        @DefaultValue("1d") Duration ttl,
        /* messages kept per conversation (user and assistant each count) */
        @DefaultValue("20") int maxTurns,
        /* recall returns the newest turns that fit in this many characters (~4 characters per token) */
        @DefaultValue("8000") int maxChars,
        /* in-process store only: end-users remembered per node */
        @DefaultValue("100000") int maxConversationsInProcess,
        /* Redis store only: characters of recently opened entries each node keeps (sealed text plus turn text) */
        @DefaultValue("16000000") long openedCacheChars) {
}
