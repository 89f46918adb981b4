/**
 * Short-term memory: the last turns of each (agent, end-user) conversation, kept for a day after the latest turn.
 * In Redis under {@code engage:memory:{agentId}:{endUserId}} (TTL 86400 s, refreshed on every turn) when Redis is
 * configured, so every node sees the same memory; otherwise in process with the same semantics. Memory is a cache:
 * the transcript in the database is the record, and when Redis is unreachable answers go on without memory.
 * Public face: {@link io.engage.memory.ConversationMemory} and {@link io.engage.memory.MemoryTurn}.
 */
package io.engage.memory;
