package io.engage.memory;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Short-term memory per (agent, end-user). Never throws for storage failures: it forgets instead. */
public interface ConversationMemory {

    /** The remembered turns, oldest first, bounded by turn count and size; empty when none (or unavailable). */
    List<MemoryTurn> recall(UUID agentId, String endUserId);

    /** Appends turns, drops the oldest beyond the bound and restarts the one-day expiry. */
    void append(UUID agentId, String endUserId, List<MemoryTurn> turns);

    /** Forgets every end-user's memory of the agent (agent or company deleted). */
    void forgetAgent(UUID agentId);

    /** How long a conversation is remembered after its latest turn (the window in which it resumes). */
    Duration ttl();

    /** "redis" or "in-process". */
    String backend();
}
