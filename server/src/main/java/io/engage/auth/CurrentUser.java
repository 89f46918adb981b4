package io.engage.auth;

import io.engage.common.ApiProblem;
import io.engage.tenancy.Role;
import java.util.UUID;

/**
 * The authenticated caller, resolved from the bearer token and checked against the database on every request.
 * Controllers take it as a parameter; company-scoped queries use {@link #companyId()}, never an id from the request.
 */
public record CurrentUser(UUID userId, UUID companyId, Role role, String email) {

    /** The caller's company; fails for platform admins, who have none. */
    public UUID requireCompany() {
        if (companyId == null) {
            throw ApiProblem.forbidden("This endpoint is for company users");
        }
        return companyId;
    }

    public boolean isCompanyAdmin() {
        return role == Role.COMPANY_ADMIN;
    }
}
