package io.engage.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One action to record, built fluently: {@code AuditEntry.of("agent.created").target("agent", id)}. The company
 * defaults to the actor's; the actor defaults to the authenticated caller. Details are small and never secret (field
 * names, not values, for changes; never passwords, keys or tokens).
 */
public record AuditEntry(String action, UUID companyId, String targetType, String targetId, Map<String, Object> details,
        AuditActor actor) {

    public AuditEntry {
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static AuditEntry of(String action) {
        return new AuditEntry(action, null, null, null, Map.of(), null);
    }

    /** The tenant the action concerns. */
    public AuditEntry company(UUID company) {
        return new AuditEntry(action, company, targetType, targetId, details, actor);
    }

    public AuditEntry target(String type, Object id) {
        return new AuditEntry(action, companyId, type, id == null ? null : id.toString(), details, actor);
    }

    public AuditEntry detail(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(details);
        more.put(key, value);
        return new AuditEntry(action, companyId, targetType, targetId, more, actor);
    }

    /** Performed by this actor instead of the authenticated caller. */
    public AuditEntry by(AuditActor who) {
        return new AuditEntry(action, companyId, targetType, targetId, details, who);
    }
}
