package io.engage.auth;

import io.engage.audit.AuditActor;
import io.engage.common.ApiProblem;
import io.engage.tenancy.Role;
import java.util.UUID;

/**
 * The authenticated caller, resolved from the bearer token and checked against the database on every request.
 * Controllers take it as a parameter; company-scoped queries use {@link #companyId()}, never an id from the request.
 */
public record CurrentUser(UUID userId, UUID companyId, Role role, String email) implements AuditActor.Principal {

    /** The caller's company; fails for platform admins, who have none. */
    public UUID requireCompany() {
        if (companyId == null) {
            throw ApiProblem.forbidden("This endpoint is for company users");
        }
        return companyId;
    }

    @Override
    public AuditActor auditActor() {
        return new AuditActor(userId, email, role.name(), companyId);
    }

    public boolean isCompanyAdmin() {
        return role == Role.COMPANY_ADMIN;
    }
}
