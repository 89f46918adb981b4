package io.engage.auth;

import io.engage.tenancy.Role;
import io.engage.tenancy.User;
import java.util.Optional;

/**
 * Which portal an OIDC sign-in started from, and so whom it may sign in: the admin portal only platform admins, the
 * company portal only company users (like the two password logins).
 */
enum OidcPortal {
    ADMIN("admin", "/admin/login"),
    APP("app", "/app/login");

    private final String id;
    private final String loginPath;

    OidcPortal(String id, String loginPath) {
        this.id = id;
        this.loginPath = loginPath;
    }

    String id() {
        return id;
    }

    /** The portal's sign-in page, where the outcome (a one-time code or an error) is delivered. */
    String loginPath() {
        return loginPath;
    }

    boolean admits(User user) {
        return this == ADMIN ? user.role() == Role.PLATFORM_ADMIN : user.role().isCompanyRole();
    }

    static Optional<OidcPortal> parse(String id) {
        for (OidcPortal portal : values()) {
            if (portal.id.equals(id)) {
                return Optional.of(portal);
            }
        }
        return Optional.empty();
    }
}
