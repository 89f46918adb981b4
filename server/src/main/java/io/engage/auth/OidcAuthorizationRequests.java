package io.engage.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.crypto.SecretCipher;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.oauth2.client.web.AuthorizationRequestRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;
import org.springframework.web.util.WebUtils;

/**
 * The OAuth2 authorization request (state, nonce, PKCE verifier and which portal asked) between the redirect to the
 * identity provider and its callback. Kept in an AES-GCM sealed, HttpOnly cookie scoped to the callback path instead
 * of an HTTP session: any node can finish a sign-in another node started, and no server-side session exists at all.
 * Sealed under the master key, the cookie can be neither read nor forged; it lives ten minutes and, like Spring's
 * session-based default, is only accepted by a callback carrying its state.
 */
@Component
class OidcAuthorizationRequests implements AuthorizationRequestRepository<OAuth2AuthorizationRequest> {

    static final String AUTHORIZATION_BASE = "/oauth2/authorization";
    static final String CALLBACK_BASE = "/login/oauth2/code";
    static final String COOKIE = "engage_oidc";
    /** Request attribute: the portal of the sign-in this request belongs to, for the outcome's redirect. */
    static final String PORTAL = "engage.oidc.portal";
    private static final String CONTEXT = "oidc-authorization-request";
    private static final Duration TTL = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PathPatternRequestMatcher START = PathPatternRequestMatcher.withDefaults()
            .matcher(AUTHORIZATION_BASE + "/{registrationId}");

    /** The sealed cookie's content. */
    record Stored(String portal, String authorizationUri, String clientId, String redirectUri, Set<String> scopes,
            String state, Map<String, Object> additionalParameters, Map<String, Object> attributes,
            String authorizationRequestUri, long expiresAt) {
    }

    private final SecretCipher cipher;
    private final OidcProviders providers;

    OidcAuthorizationRequests(SecretCipher cipher, OidcProviders providers) {
        this.cipher = cipher;
        this.providers = providers;
    }

    /**
     * Builds the request for {@code /oauth2/authorization/{id}?portal=admin|app}: Spring's resolver plus PKCE (S256,
     * also for confidential clients) and the portal. Unknown providers and portals fail as sign-in errors.
     */
    OAuth2AuthorizationRequestResolver resolver() {
        DefaultOAuth2AuthorizationRequestResolver spring = new DefaultOAuth2AuthorizationRequestResolver(
                providers.registrations(), AUTHORIZATION_BASE);
        spring.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        return new OAuth2AuthorizationRequestResolver() {
            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
                RequestMatcher.MatchResult match = START.matcher(request);
                if (!match.isMatch()) {
                    return null;
                }
                OidcPortal portal = OidcPortal.parse(request.getParameter("portal")).orElse(null);
                if (portal == null) {
                    throw failure(OidcSignIn.INVALID_REQUEST, "portal must be 'admin' or 'app'");
                }
                request.setAttribute(PORTAL, portal);
                if (providers.find(match.getVariables().get("registrationId")).isEmpty()) {
                    throw failure(OidcSignIn.UNKNOWN_PROVIDER, "no such identity provider");
                }
                OAuth2AuthorizationRequest resolved = spring.resolve(request);
                return resolved == null ? null : OAuth2AuthorizationRequest.from(resolved)
                        .attributes(attributes -> attributes.put(PORTAL, portal.id())).build();
            }

            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String registrationId) {
                return null; // only sign-in starts flows here; Engage calls no provider APIs on a user's behalf
            }
        };
    }

    private static OAuth2AuthenticationException failure(String code, String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description, null));
    }

    @Override
    public OAuth2AuthorizationRequest loadAuthorizationRequest(HttpServletRequest request) {
        Stored stored = read(request);
        String state = request.getParameter(OAuth2ParameterNames.STATE);
        if (stored == null || state == null || !MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
                stored.state().getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return OAuth2AuthorizationRequest.authorizationCode()
                .authorizationUri(stored.authorizationUri())
                .clientId(stored.clientId())
                .redirectUri(stored.redirectUri())
                .scopes(stored.scopes())
                .state(stored.state())
                .additionalParameters(stored.additionalParameters())
                .attributes(stored.attributes())
                .authorizationRequestUri(stored.authorizationRequestUri())
                .build();
    }

    @Override
    public void saveAuthorizationRequest(OAuth2AuthorizationRequest authorizationRequest, HttpServletRequest request,
            HttpServletResponse response) {
        if (authorizationRequest == null) {
            clear(request, response);
            return;
        }
        Stored stored = new Stored(authorizationRequest.getAttribute(PORTAL),
                authorizationRequest.getAuthorizationUri(), authorizationRequest.getClientId(),
                authorizationRequest.getRedirectUri(), authorizationRequest.getScopes(),
                authorizationRequest.getState(), authorizationRequest.getAdditionalParameters(),
                authorizationRequest.getAttributes(), authorizationRequest.getAuthorizationRequestUri(),
                Instant.now().plus(TTL).getEpochSecond());
        try {
            String sealed = cipher.encrypt(JSON.writeValueAsString(stored), CONTEXT);
            response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, sealed, TTL).toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize the authorization request", e);
        }
    }

    @Override
    public OAuth2AuthorizationRequest removeAuthorizationRequest(HttpServletRequest request,
            HttpServletResponse response) {
        OAuth2AuthorizationRequest loaded = loadAuthorizationRequest(request);
        if (loaded != null) {
            clear(request, response); // single use; a callback with a wrong state leaves the real flow intact
        }
        return loaded;
    }

    /** The sealed request if present, intact and not expired; also notes its portal for the outcome's redirect. */
    private Stored read(HttpServletRequest request) {
        Cookie cookie = WebUtils.getCookie(request, COOKIE);
        if (cookie == null || cookie.getValue() == null || cookie.getValue().length() > 8192) {
            return null;
        }
        Stored stored;
        try {
            stored = JSON.readValue(cipher.decrypt(cookie.getValue(), CONTEXT), Stored.class);
        } catch (JsonProcessingException | RuntimeException e) {
            return null; // tampered, sealed under another master key, or not ours
        }
        if (Instant.now().getEpochSecond() > stored.expiresAt() || stored.state() == null) {
            return null;
        }
        OidcPortal.parse(stored.portal()).ifPresent(portal -> request.setAttribute(PORTAL, portal));
        return stored;
    }

    private static void clear(HttpServletRequest request, HttpServletResponse response) {
        if (WebUtils.getCookie(request, COOKIE) != null) {
            response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, "", Duration.ZERO).toString());
        }
    }

    /** Sent back only to the callback path; Lax so that the provider's top-level redirect to it carries it. */
    private static ResponseCookie cookie(HttpServletRequest request, String value, Duration maxAge) {
        return ResponseCookie.from(COOKIE, value).path(CALLBACK_BASE + "/").httpOnly(true).secure(request.isSecure())
                .sameSite("Lax").maxAge(maxAge).build();
    }
}
