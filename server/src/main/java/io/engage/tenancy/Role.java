package io.engage.tenancy;

/** What a user may do. Company roles are scoped to the user's own company. */
public enum Role {
    /** Operates the platform: manages companies, sees everything. Belongs to no company. */
    PLATFORM_ADMIN,
    /** Manages one company: agents, keys, knowledge, team. */
    COMPANY_ADMIN,
    /** Works in one company: reads agents, end-users, transcripts and analytics. */
    COMPANY_MEMBER;

    public boolean isCompanyRole() {
        return this != PLATFORM_ADMIN;
    }
}
