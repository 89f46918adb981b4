package io.engage.memory;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Short-term memory per (agent, end-user). Never throws for storage failures: it forgets instead. */
public interface ConversationMemory {

    /** The remembered turns, oldest first, bounded by turn count and size; empty when none (or unavailable). */
    List<MemoryTurn> recall(UUID agentId, String endUserId);

    /**
     * Starts a {@link #recall} whose turns are taken later, so that its storage round trip overlaps the caller's
     * own (Redis pipelines the commands of a connection); by default the recall runs when its turns are taken.
     */
    default Recall startRecall(UUID agentId, String endUserId) {
        return () -> recall(agentId, endUserId);
    }

    /** A recall under way. */
    @FunctionalInterface
    interface Recall {
        /** The remembered turns, as {@link #recall} answers them (waiting for storage if need be). */
        List<MemoryTurn> turns();
    }

    /** Appends turns, drops the oldest beyond the bound and restarts the one-day expiry. */
    void append(UUID agentId, String endUserId, List<MemoryTurn> turns);

    /** Forgets every end-user's memory of the agent (agent or company deleted). */
    void forgetAgent(UUID agentId);

    /** How long a conversation is remembered after its latest turn (the window in which it resumes). */
    Duration ttl();

    /** "redis" or "in-process". */
    String backend();
}
