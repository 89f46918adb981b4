package io.engage.auth;

import java.util.UUID;

/** Published inside the transaction that rotated or revoked keys of an agent (caches of key lookups drop them). */
public record AgentKeysChanged(UUID agentId) {
}
