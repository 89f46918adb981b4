package io.engage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The embedded memory has Redis's semantics: bounded lists, size-bounded recall, per-agent forgetting, expiry. */
class InProcessConversationMemoryTest {

    private static final UUID CONVERSATION = UUID.randomUUID();

    private static MemoryTurn turn(String role, String text) {
        return new MemoryTurn(role, text, CONVERSATION, Instant.now());
    }

    @Test
    void keepsTheNewestTurnsWithinTheTurnAndSizeBounds() {
        InProcessConversationMemory memory = new InProcessConversationMemory(
                new MemoryProperties(Duration.ofDays(1), 4, 25, 100, 1_000_000));
        UUID agent = UUID.randomUUID();
        memory.append(agent, "u", List.of(turn("user", "one"), turn("assistant", "two")));
        memory.append(agent, "u", List.of(turn("user", "three"), turn("assistant", "four")));
        memory.append(agent, "u", List.of(turn("user", "five"), turn("assistant", "six")));
        assertThat(memory.recall(agent, "u")).extracting(MemoryTurn::text)
                .containsExactly("three", "four", "five", "six");
        memory.append(agent, "u", List.of(turn("user", "x".repeat(20))));
        // 25 characters: the 20-character turn plus "six" (3) fit, "five" does not
        assertThat(memory.recall(agent, "u")).extracting(MemoryTurn::text).containsExactly("six", "x".repeat(20));
        assertThat(memory.recall(agent, "other")).isEmpty();
        assertThat(memory.recall(UUID.randomUUID(), "u")).isEmpty();
    }

    @Test
    void forgetsOneAgentOnlyAndExpires() throws InterruptedException {
        InProcessConversationMemory memory = new InProcessConversationMemory(
                new MemoryProperties(Duration.ofMillis(300), 20, 8000, 100, 1_000_000));
        UUID kept = UUID.randomUUID();
        UUID deleted = UUID.randomUUID();
        memory.append(kept, "u", List.of(turn("user", "hello")));
        memory.append(deleted, "u", List.of(turn("user", "hello")));
        memory.forgetAgent(deleted);
        assertThat(memory.recall(deleted, "u")).isEmpty();
        assertThat(memory.recall(kept, "u")).hasSize(1);
        Thread.sleep(500);
        assertThat(memory.recall(kept, "u")).as("expired one TTL after the last write").isEmpty();
        assertThat(memory.backend()).isEqualTo("in-process");
    }
}
