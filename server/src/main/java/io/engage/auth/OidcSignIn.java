package io.engage.auth;

import io.engage.audit.Audit;
import io.engage.audit.AuditActor;
import io.engage.audit.AuditEntry;
import io.engage.tenancy.User;
import io.engage.tenancy.UserAccounts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.client.OAuth2LoginConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.DefaultOAuth2UserService;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * OIDC sign-in with Spring Security's OAuth2 client (authorization code + PKCE + nonce): {@code GET
 * /oauth2/authorization/{provider}?portal=admin|app} redirects to the provider, whose callback
 * {@code /login/oauth2/code/{provider}} lands here. The verified email must belong to an existing, active user the
 * portal admits (no accounts are created); the outcome goes back to the portal's sign-in page as a one-time
 * {@code ?code=} (exchanged at {@code POST /auth/oidc/exchange}) or an {@code ?error=} from a fixed list, never as
 * tokens. Nothing is kept of the provider's session or tokens.
 */
@Component
class OidcSignIn implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    /** The cookie binding a one-time code to the browser that received it; read by the exchange endpoint only. */
    static final String BINDING_COOKIE = "engage_oidc_binding";
    static final String EXCHANGE_PATH = "/auth/oidc/exchange";

    // errors the portal shows (?error=...)
    static final String UNKNOWN_PROVIDER = "unknown_provider";
    static final String INVALID_REQUEST = "invalid_request";
    static final String NO_ACCOUNT = "no_account";
    static final String EMAIL_MISSING = "email_missing";
    static final String EMAIL_UNVERIFIED = "email_unverified";
    static final String ACCESS_DENIED = "access_denied";
    static final String STATE_MISMATCH = "state_mismatch";
    static final String PROVIDER_ERROR = "provider_error";
    private static final Set<String> SHOWN = Set.of(UNKNOWN_PROVIDER, INVALID_REQUEST, NO_ACCOUNT, EMAIL_MISSING,
            EMAIL_UNVERIFIED, ACCESS_DENIED, STATE_MISMATCH, OidcProviders.PROVIDER_UNAVAILABLE, PROVIDER_ERROR);
    /** Spring Security's codes for a callback that matches no sign-in this browser started. */
    private static final Map<String, String> SPRING_CODES = Map.of("authorization_request_not_found", STATE_MISMATCH,
            "invalid_state_parameter", STATE_MISMATCH, "client_registration_not_found", UNKNOWN_PROVIDER);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(OidcSignIn.class);

    /** Engage never calls provider APIs later, so the provider's access token is not kept anywhere. */
    private static final OAuth2AuthorizedClientRepository KEEP_NO_CLIENTS = new OAuth2AuthorizedClientRepository() {
        @Override
        public <T extends OAuth2AuthorizedClient> T loadAuthorizedClient(String registrationId,
                Authentication principal, HttpServletRequest request) {
            return null;
        }

        @Override
        public void saveAuthorizedClient(OAuth2AuthorizedClient client, Authentication principal,
                HttpServletRequest request, HttpServletResponse response) {
        }

        @Override
        public void removeAuthorizedClient(String registrationId, Authentication principal,
                HttpServletRequest request, HttpServletResponse response) {
        }
    };

    private final OidcProviders providers;
    private final OidcAuthorizationRequests requests;
    private final OidcLoginCodes codes;
    private final UserAccounts accounts;
    private final Audit audit;

    OidcSignIn(OidcProviders providers, OidcAuthorizationRequests requests, OidcLoginCodes codes,
            UserAccounts accounts, Audit audit) {
        this.providers = providers;
        this.requests = requests;
        this.codes = codes;
        this.accounts = accounts;
        this.audit = audit;
    }

    /** Wires the OAuth2 login of the sign-in filter chain (see SecurityConfig). */
    void configure(OAuth2LoginConfigurer<HttpSecurity> login) {
        SimpleClientHttpRequestFactory http = new SimpleClientHttpRequestFactory();
        http.setConnectTimeout(CONNECT_TIMEOUT);
        http.setReadTimeout(READ_TIMEOUT);
        RestClientAuthorizationCodeTokenResponseClient tokenClient =
                new RestClientAuthorizationCodeTokenResponseClient();
        // Spring's defaults, plus timeouts: a hanging provider must not hold request threads forever
        tokenClient.setRestClient(RestClient.builder().requestFactory(http)
                .messageConverters(converters -> {
                    converters.clear();
                    converters.add(new FormHttpMessageConverter());
                    converters.add(new OAuth2AccessTokenResponseHttpMessageConverter());
                })
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler()).build());
        RestTemplate userInfoRest = new RestTemplate(http);
        userInfoRest.setErrorHandler(new OAuth2ErrorResponseErrorHandler());
        DefaultOAuth2UserService userInfo = new DefaultOAuth2UserService();
        userInfo.setRestOperations(userInfoRest);
        OidcUserService oidcUsers = new OidcUserService();
        oidcUsers.setOauth2UserService(userInfo);

        login.clientRegistrationRepository(providers.registrations())
                .authorizedClientRepository(KEEP_NO_CLIENTS)
                // never shown (every outcome redirects to a portal page); set so Spring generates no login page
                .loginPage(OidcPortal.APP.loginPath())
                .authorizationEndpoint(endpoint -> endpoint.baseUri(OidcAuthorizationRequests.AUTHORIZATION_BASE)
                        .authorizationRequestRepository(requests).authorizationRequestResolver(requests.resolver()))
                .redirectionEndpoint(endpoint -> endpoint.baseUri(OidcAuthorizationRequests.CALLBACK_BASE + "/*"))
                .tokenEndpoint(endpoint -> endpoint.accessTokenResponseClient(tokenClient))
                .userInfoEndpoint(endpoint -> endpoint.oidcUserService(oidcUsers))
                .successHandler(this)
                .failureHandler(this)
                // failures before the redirect (unknown provider, bad portal, provider down) go to the portal too,
                // instead of the filter's bare 500
                .withObjectPostProcessor(new ObjectPostProcessor<OAuth2AuthorizationRequestRedirectFilter>() {
                    @Override
                    public <O extends OAuth2AuthorizationRequestRedirectFilter> O postProcess(O filter) {
                        filter.setAuthenticationFailureHandler(OidcSignIn.this);
                        return filter;
                    }
                });
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException {
        SecurityContextHolder.clearContext(); // the provider's identity is not a session here, only a way to a code
        OAuth2AuthenticationToken token = (OAuth2AuthenticationToken) authentication;
        String provider = token.getAuthorizedClientRegistrationId();
        OidcPortal portal = portal(request);
        if (!(token.getPrincipal() instanceof OidcUser identity)) {
            fail(request, response, portal, provider, PROVIDER_ERROR, null, null);
            return;
        }
        String email = identity.getEmail();
        if (email == null || email.isBlank()) {
            fail(request, response, portal, provider, EMAIL_MISSING, null, identity.getSubject());
            return;
        }
        boolean mustBeVerified = providers.find(provider).map(OidcProviders.Provider::requireEmailVerified)
                .orElse(true);
        if (mustBeVerified && !Boolean.TRUE.equals(identity.getEmailVerified())) {
            fail(request, response, portal, provider, EMAIL_UNVERIFIED, email, identity.getSubject());
            return;
        }
        User user = accounts.signInByVerifiedEmail(email, portal::admits).orElse(null);
        if (user == null) {
            fail(request, response, portal, provider, NO_ACCOUNT, email, identity.getSubject());
            return;
        }
        OidcLoginCodes.Issued issued = codes.issue(user.id(), provider);
        audit.record(AuditEntry.of("auth.oidc_login_succeeded")
                .by(new AuditActor(user.id(), user.email(), user.role().name(), user.companyId()))
                .target("user", user.id()).detail("provider", provider).detail("subject", identity.getSubject()));
        response.addHeader(HttpHeaders.SET_COOKIE, bindingCookie(request, issued.binding(), OidcLoginCodes.TTL)
                .toString());
        response.sendRedirect(portal.loginPath() + "?code=" + issued.code());
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        String error = errorCode(exception);
        if (error.equals(PROVIDER_ERROR) || error.equals(OidcProviders.PROVIDER_UNAVAILABLE)) {
            // operators need the provider's reason; users get the fixed code only
            log.warn("OIDC sign-in failed at {}: {}", request.getRequestURI(), exception.toString());
        }
        fail(request, response, portal(request), providerOf(request), error, null, null);
    }

    private void fail(HttpServletRequest request, HttpServletResponse response, OidcPortal portal, String provider,
            String error, String email, String subject) throws IOException {
        AuditEntry entry = AuditEntry.of("auth.oidc_login_failed").by(AuditActor.anonymous(email))
                .detail("provider", provider == null ? "(unknown)" : provider).detail("reason", error);
        audit.record(subject == null ? entry : entry.detail("subject", subject));
        response.sendRedirect(portal.loginPath() + "?error=" + error);
    }

    /** One of the fixed codes: nothing the provider or the request says is reflected into the portal's URL. */
    static String errorCode(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof OAuth2AuthenticationException oauth) {
                String code = oauth.getError().getErrorCode();
                code = SPRING_CODES.getOrDefault(code, code);
                return SHOWN.contains(code) ? code : PROVIDER_ERROR;
            }
            if (cause.getClass().getSimpleName().equals("InvalidClientRegistrationIdException")) {
                return UNKNOWN_PROVIDER;
            }
        }
        return PROVIDER_ERROR;
    }

    private static OidcPortal portal(HttpServletRequest request) {
        return request.getAttribute(OidcAuthorizationRequests.PORTAL) instanceof OidcPortal portal ? portal
                : OidcPortal.APP;
    }

    /** The provider id from the path, when it is a configured one (the path is the caller's to choose). */
    private String providerOf(HttpServletRequest request) {
        String path = request.getRequestURI();
        String id = path.substring(path.lastIndexOf('/') + 1);
        return providers.find(id).isPresent() ? id : null;
    }

    /** HttpOnly, sent only to the exchange endpoint, gone when the code expires. */
    static ResponseCookie bindingCookie(HttpServletRequest request, String value, Duration maxAge) {
        return ResponseCookie.from(BINDING_COOKIE, value).path(EXCHANGE_PATH).httpOnly(true).secure(request.isSecure())
                .sameSite("Lax").maxAge(maxAge).build();
    }
}
