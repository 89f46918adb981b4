package io.engage.audit;

import java.util.UUID;

/**
 * Who performed an action. Taken from the authenticated principal when it is a {@link Principal}, or given
 * explicitly (sign-in and sign-up, where nobody is authenticated yet).
 */
public record AuditActor(UUID userId, String email, String role, UUID companyId) {

    /** A principal that can tell the audit log who it is. */
    public interface Principal {
        AuditActor auditActor();
    }

    /** Someone who is not (yet) a known user, e.g. a failed sign-in: only the email given. */
    public static AuditActor anonymous(String email) {
        return new AuditActor(null, email, null, null);
    }
}
