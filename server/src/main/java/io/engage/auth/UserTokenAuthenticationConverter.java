package io.engage.auth;

import io.engage.tenancy.User;
import io.engage.tenancy.UserAccounts;
import java.util.List;
import java.util.UUID;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.stereotype.Component;

/**
 * Turns a valid access token into the caller. The user is looked up on every request (a primary-key read), so a
 * deleted user or company loses access at once and a changed role applies at once, not when the token expires.
 */
@Component
class UserTokenAuthenticationConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    private final UserAccounts accounts;

    UserTokenAuthenticationConverter(UserAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        if (!TokenService.ACCESS_TOKEN_TYPE.equals(jwt.getClaimAsString("typ"))) {
            throw new InvalidBearerTokenException("Not an access token");
        }
        UUID userId;
        try {
            userId = UUID.fromString(jwt.getSubject());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidBearerTokenException("Malformed subject");
        }
        User user = accounts.findActive(userId)
                .orElseThrow(() -> new InvalidBearerTokenException("User no longer exists or is disabled"));
        return new UserAuthentication(new CurrentUser(user.id(), user.companyId(), user.role(), user.email()));
    }

    /** Authentication whose principal is the {@link CurrentUser}. */
    static final class UserAuthentication extends AbstractAuthenticationToken {
        private final CurrentUser user;

        UserAuthentication(CurrentUser user) {
            super(List.of(new SimpleGrantedAuthority("ROLE_" + user.role().name())));
            this.user = user;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public CurrentUser getPrincipal() {
            return user;
        }

        @Override
        public String getName() {
            return user.userId().toString();
        }
    }
}
