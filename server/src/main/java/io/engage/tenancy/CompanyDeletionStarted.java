package io.engage.tenancy;

import java.util.UUID;

/**
 * Published synchronously inside the deleting transaction, before the company row goes: each module deletes what it
 * keeps for the company (and may register after-commit cleanup of derived state such as caches or Redis keys).
 */
public record CompanyDeletionStarted(UUID companyId) {
}
