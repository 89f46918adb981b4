package io.engage.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.StaticHeadersWriter;

/**
 * Response headers of the portal and the bearer-token API, and (the part that applies there) of the agent API.
 * Spring Security's defaults stay (X-Content-Type-Options: nosniff, X-Frame-Options: DENY, Cache-Control: no-store
 * unless a handler set caching); set here are Strict-Transport-Security, Referrer-Policy and a
 * Content-Security-Policy: the portal's index.html gets a full policy for the built SPA, every other response
 * {@code frame-ancestors 'none'}, except the embeddable scripts (which are not framed, so nothing to add) and the
 * demo pages, which set their own policy.
 */
final class SecurityHeaders {

    /**
     * What the built portal needs: its own scripts and styles, inline styles (Mantine injects style tags), data:
     * images (the favicon), API calls to this origin, and the agent editor's widget preview (an iframe srcdoc, which
     * inherits this policy, loading /widget.js from this origin).
     */
    static final String PORTAL_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
            + "form-action 'self'; object-src 'none'";

    static final String API_CSP = "frame-ancestors 'none'";

    /** Browser navigations that SpaForwardingFilter answers with index.html, and index.html itself. */
    private static final Pattern SPA_ROUTE = Pattern.compile("^/(admin|app)(/[^.]*)?$");

    private static final Set<String> OWN_POLICY_OR_SCRIPT = Set.of("/widget.js", "/engage-widget.js",
            "/engage-panel.js", "/demo", "/demo/help");

    /** One year, this host and its subdomains; no preload (a commitment only the operator can make). */
    static final long HSTS_MAX_AGE_SECONDS = 31_536_000;

    private SecurityHeaders() {
    }

    /** What every response gets, the agent API's included. */
    static void common(HeadersConfigurer<HttpSecurity> headers) {
        // HSTS only on secure requests (Spring Security's matcher: request.isSecure()), i.e. over HTTPS, or with
        // forwarded headers on, a trusted proxy's X-Forwarded-Proto: https; browsers ignore it over plain HTTP
        headers.httpStrictTransportSecurity(hsts -> hsts.maxAgeInSeconds(HSTS_MAX_AGE_SECONDS).includeSubDomains(true))
                .referrerPolicy(r -> r.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN));
    }

    static void portalAndApi(HeadersConfigurer<HttpSecurity> headers) {
        common(headers);
        headers.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(SecurityHeaders::isPortalPage,
                        new StaticHeadersWriter("Content-Security-Policy", PORTAL_CSP)))
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                        request -> !isPortalPage(request) && !OWN_POLICY_OR_SCRIPT.contains(path(request)),
                        new StaticHeadersWriter("Content-Security-Policy", API_CSP)));
    }

    static boolean isPortalPage(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod())) {
            return false;
        }
        String path = path(request);
        if (path.equals("/") || path.equals("/index.html")) {
            return true;
        }
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html") && SPA_ROUTE.matcher(path).matches();
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
