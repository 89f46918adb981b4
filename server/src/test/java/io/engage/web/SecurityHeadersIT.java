package io.engage.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import org.junit.jupiter.api.Test;

/** Security headers on API responses, problems, the portal's pages and the embeddable widget script. */
class SecurityHeadersIT extends IntegrationTest {

    private static final String PORTAL_CSP = "default-src 'self'; script-src 'self'; style-src 'self' "
            + "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; "
            + "base-uri 'self'; form-action 'self'; object-src 'none'";

    private static void assertCommon(Api.Response response) {
        assertThat(response.header("X-Content-Type-Options")).as(response.headers().toString()).isEqualTo("nosniff");
        assertThat(response.header("Referrer-Policy")).as(response.headers().toString())
                .isEqualTo("strict-origin-when-cross-origin");
        // HSTS only over HTTPS (Spring Security's default): the tests speak plain HTTP
        assertThat(response.header("Strict-Transport-Security")).isNull();
    }

    private Api.Response navigate(String path) {
        return api.send("GET", path, null, null, null, "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    }

    @Test
    void apiResponsesCannotBeFramed() {
        Api.Response response = api.get("/auth/me", signup().token());
        assertThat(response.status()).isEqualTo(200);
        assertCommon(response);
        assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.header("Content-Security-Policy")).isEqualTo("frame-ancestors 'none'");
    }

    @Test
    void problemResponsesToo() {
        Api.Response unauthorized = api.get("/company/agents", null);
        assertProblem(unauthorized, 401);
        assertCommon(unauthorized);
        assertThat(unauthorized.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(unauthorized.header("Content-Security-Policy")).isEqualTo("frame-ancestors 'none'");

        Api.Response forbidden = api.get("/admin/companies", signup().token());
        assertProblem(forbidden, 403);
        assertCommon(forbidden);
        assertThat(forbidden.header("Content-Security-Policy")).isEqualTo("frame-ancestors 'none'");

        Api.Response notFound = api.get("/company/agents/00000000-0000-0000-0000-000000000000", signup().token());
        assertProblem(notFound, 404);
        assertCommon(notFound);
        assertThat(notFound.header("Content-Security-Policy")).isEqualTo("frame-ancestors 'none'");
    }

    @Test
    void portalPagesGetTheSpasContentSecurityPolicy() {
        for (String path : new String[] {"/", "/index.html", "/admin", "/admin/companies", "/app/agents/x/edit"}) {
            Api.Response response = navigate(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.contentType()).as(path).startsWith("text/html");
            assertThat(response.body()).as(path).contains("<div id=\"root\">");
            assertCommon(response);
            assertThat(response.header("X-Frame-Options")).as(path).isEqualTo("DENY");
            assertThat(response.header("Content-Security-Policy")).as(path).isEqualTo(PORTAL_CSP);
        }
    }

    @Test
    void theWidgetScriptStaysEmbeddable() {
        for (String path : new String[] {"/widget.js", "/engage-widget.js"}) {
            Api.Response response = api.get(path, null);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.header("Referrer-Policy")).isEqualTo("strict-origin-when-cross-origin");
            assertThat(response.header("Content-Security-Policy")).as(path).isNull();
        }
    }

    @Test
    void theAgentApiGetsNoContentSecurityPolicy() {
        Api.Response response = api.get("/agent/config", null);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("Referrer-Policy")).isEqualTo("strict-origin-when-cross-origin");
        assertThat(response.header("Content-Security-Policy")).isNull();
    }
}
