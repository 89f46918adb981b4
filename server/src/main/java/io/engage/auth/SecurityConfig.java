package io.engage.auth;

import io.engage.crypto.SecretCipher;
import io.engage.web.ProblemWriter;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import com.nimbusds.jose.jwk.source.ImmutableSecret;

/**
 * Stateless bearer-token security. Roles by path: /admin/** platform admins; /company/** and /rag/** company users;
 * finer rules (company admin only) on the controller methods. CSRF protection is off because no endpoint
 * authenticates by cookie: tokens travel in the Authorization header, which a cross-site form cannot set. (The OIDC
 * code exchange reads a binding cookie, but only next to the one-time code itself, and answers in a body that a
 * cross-site page cannot read.)
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfig {

    private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

    /** The AI Agent API: authenticated by widget key in the conversation module, see {@link #agentApiSecurity}. */
    static final RequestMatcher AGENT_API = PATHS.matcher("/agent/**");

    /** What anyone may call, signed in or not. */
    private static final RequestMatcher PUBLIC = new OrRequestMatcher(
            PATHS.matcher(HttpMethod.POST, "/admin/login"), PATHS.matcher(HttpMethod.POST, "/company/login"),
            PATHS.matcher(HttpMethod.POST, "/company/signup"), PATHS.matcher(HttpMethod.POST, "/auth/refresh"),
            PATHS.matcher(HttpMethod.POST, "/auth/logout"),
            PATHS.matcher(HttpMethod.GET, "/auth/oidc/providers"),
            PATHS.matcher(HttpMethod.POST, OidcSignIn.EXCHANGE_PATH),
            PATHS.matcher("/actuator/health"), PATHS.matcher("/actuator/health/**"), PATHS.matcher("/actuator/info"),
            PATHS.matcher("/actuator/prometheus"),
            // the demo shop's help center (404 unless ENGAGE_DEMO=true), like /demo below
            PATHS.matcher(HttpMethod.GET, "/demo/help"),
            PATHS.matcher("/v3/api-docs"), PATHS.matcher("/v3/api-docs/**"), PATHS.matcher("/swagger-ui.html"),
            PATHS.matcher("/swagger-ui/**"),
            PATHS.matcher(HttpMethod.GET, "/"), PATHS.matcher(HttpMethod.GET, "/index.html"),
            PATHS.matcher(HttpMethod.GET, "/assets/**"), PATHS.matcher(HttpMethod.GET, "/widget.js"),
            PATHS.matcher(HttpMethod.GET, "/engage-widget.js"), PATHS.matcher(HttpMethod.GET, "/engage-panel.js"),
            PATHS.matcher(HttpMethod.GET, "/favicon.ico"), PATHS.matcher(HttpMethod.GET, "/demo"),
            PATHS.matcher("/error"));

    /**
     * The AI Agent API authenticates by the agent's widget key in the conversation module, not by bearer tokens: a
     * chain of its own without the resource-server, anonymous and request-cache filters, so that the hot path of
     * every visitor message runs only what it needs (security headers stay).
     */
    @Bean
    @Order(1)
    SecurityFilterChain agentApiSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher(AGENT_API)
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .securityContext(AbstractHttpConfigurer::disable)
                // defaults (nosniff, X-Frame-Options DENY, no-store) plus HSTS on HTTPS and the referrer policy; no CSP
                // here: JSON and SSE for embedding sites, where a policy has nothing to protect and could only interfere
                .headers(SecurityHeaders::common)
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }

    /**
     * OIDC sign-in: the redirect to the identity provider and its callback (see OidcSignIn). No session: the
     * authorization request travels in a sealed cookie, and the outcome is a redirect to the portal, so the security
     * context of the callback request is dropped at its end. CSRF protection here is OAuth2's state parameter
     * (checked against that cookie) and the nonce in the ID token.
     */
    @Bean
    @Order(2)
    SecurityFilterChain oidcSignInSecurity(HttpSecurity http, OidcSignIn oidc) throws Exception {
        http.securityMatcher(new OrRequestMatcher(
                        PATHS.matcher(HttpMethod.GET, OidcAuthorizationRequests.AUTHORIZATION_BASE + "/*"),
                        PATHS.matcher(OidcAuthorizationRequests.CALLBACK_BASE + "/*")))
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .headers(SecurityHeaders::portalAndApi)
                .oauth2Login(oidc::configure)
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain apiSecurity(HttpSecurity http, UserTokenAuthenticationConverter converter,
            ProblemWriter problems) throws Exception {
        AuthenticationEntryPoint entryPoint = problemEntryPoint(problems);
        AccessDeniedHandler accessDenied = (request, response, ex) -> problems.write(request, response,
                HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "Your role does not allow this operation");
        DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .headers(SecurityHeaders::portalAndApi)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(PUBLIC).permitAll()
                        .requestMatchers("/admin/**").hasRole("PLATFORM_ADMIN")
                        .requestMatchers("/company/**", "/rag/**").hasAnyRole("COMPANY_ADMIN", "COMPANY_MEMBER")
                        .anyRequest().authenticated())
                .oauth2ResourceServer(oauth -> oauth
                        // public endpoints ignore the Authorization header: a stale token must not turn a login,
                        // refresh or health check into a 401
                        .bearerTokenResolver(request -> PUBLIC.matches(request) ? null : bearer.resolve(request))
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(converter))
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDenied))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDenied));
        return http.build();
    }

    /** 401 problem+json that keeps the standard WWW-Authenticate: Bearer challenge. */
    private static AuthenticationEntryPoint problemEntryPoint(ProblemWriter problems) {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, ex) -> {
            bearer.commence(request, response, ex);
            boolean tokenPresent = request.getHeader("Authorization") != null;
            problems.write(request, response, HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                    tokenPresent ? "The access token is invalid or expired" : "Sign in and send the access token "
                            + "as 'Authorization: Bearer <token>'");
        };
    }

    /**
     * No observation of the security filters, authentications and authorizations: with it every request runs each
     * filter through an observation wrapper (a few per cent of the CPU of a cached answer) for timings nothing reads;
     * http.server.requests still times every request. (management.observations.enable.spring.security=false alone
     * only makes those observations no-ops; the wrappers stay.)
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Agent API requests skip the MVC handler lookup made in advance for the other chains. */
    @Bean
    static AgentApiIntrospectionBypass agentApiIntrospectionBypass() {
        return new AgentApiIntrospectionBypass();
    }

    @Bean
    SecretKey jwtSigningKey(SecretCipher cipher) {
        return new SecretKeySpec(cipher.derive("jwt-signing-hs256-v1"), "HmacSHA256");
    }

    @Bean
    JwtEncoder jwtEncoder(SecretKey jwtSigningKey) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(jwtSigningKey));
    }

    @Bean
    JwtDecoder jwtDecoder(SecretKey jwtSigningKey, AuthProperties properties) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(jwtSigningKey).macAlgorithm(MacAlgorithm.HS256)
                .build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(properties.issuer()));
        return decoder;
    }
}
