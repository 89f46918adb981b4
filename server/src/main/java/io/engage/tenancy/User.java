package io.engage.tenancy;

import java.time.Instant;
import java.util.UUID;

/** A person who signs in to the portal or API. {@code companyId} is null for platform admins. */
public record User(UUID id, UUID companyId, String email, Role role, Instant createdAt, Instant lastLoginAt) {
}
