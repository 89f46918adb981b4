package io.engage.tenancy;

import java.time.Instant;
import java.util.UUID;

/** A tenant. */
public record Company(UUID id, String name, String status, Instant createdAt, Instant updatedAt) {
}
