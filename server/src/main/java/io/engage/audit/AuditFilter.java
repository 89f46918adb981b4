package io.engage.audit;

import java.time.Instant;
import java.util.UUID;

/** Filters of the audit list; null means "any". */
record AuditFilter(UUID companyId, String action, String actorEmail, Instant from, Instant to) {
}
