package io.engage.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** One audit log entry as {@code GET /admin/audit} returns it. */
record AuditRecord(UUID id, Instant occurredAt, UUID actorUserId, String actorEmail, String actorRole, UUID companyId,
        String action, String targetType, String targetId, String ip, String userAgent, JsonNode details) {
}
