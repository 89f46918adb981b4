package io.engage.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.EngageApplication;
import io.engage.crypto.SecretCipher;
import io.engage.support.Api;
import io.engage.support.Browser;
import io.engage.support.IntegrationTest;
import io.engage.support.TestDatabase;
import io.engage.support.TestOidcProvider;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * OIDC sign-in end to end against a real OpenID provider (Spring Authorization Server, started here on a random
 * port): the browser's hops are taken one by one (portal button → Engage → provider login form → Engage callback →
 * portal with a one-time code → exchange), so each can be looked at. Engage is reached at 127.0.0.1 and the provider
 * at localhost, so their cookies stay apart as in a real browser.
 */
class OidcLoginIT extends IntegrationTest {

    private static final TestOidcProvider IDP = TestOidcProvider.start("testidp", "lenient");
    private static final Map<String, String> OIDC = oidcProperties();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BINDING = "engage_oidc_binding";

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(IDP::close));
    }

    /** Three providers: the test provider, the same one trusted without email_verified, and one that is down. */
    private static Map<String, String> oidcProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("engage.oidc.testidp.issuer-uri", IDP.issuer());
        properties.put("engage.oidc.testidp.client-id", TestOidcProvider.CLIENT_ID);
        properties.put("engage.oidc.testidp.client-secret", TestOidcProvider.CLIENT_SECRET);
        properties.put("engage.oidc.testidp.name", "Test IdP");
        properties.put("engage.oidc.lenient.issuer-uri", IDP.issuer());
        properties.put("engage.oidc.lenient.client-id", TestOidcProvider.CLIENT_ID);
        properties.put("engage.oidc.lenient.client-secret", TestOidcProvider.CLIENT_SECRET);
        properties.put("engage.oidc.lenient.name", "Lenient IdP");
        properties.put("engage.oidc.lenient.require-email-verified", "false");
        properties.put("engage.oidc.down.issuer-uri", "http://127.0.0.1:" + closedPort());
        properties.put("engage.oidc.down.client-id", "engage");
        properties.put("engage.oidc.down.name", "Down IdP");
        return properties;
    }

    @DynamicPropertySource
    static void oidc(DynamicPropertyRegistry registry) {
        OIDC.forEach((key, value) -> registry.add(key, () -> value));
    }

    private String engage(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Test
    void companyUserSignsInWithTheProviderAndGetsTheUsualTokens() {
        TestCompany company = signup();
        TestOidcProvider.Account account = IDP.addAccount(company.email().toUpperCase(), true);
        Browser browser = new Browser();

        Browser.Response start = browser.get(engage("/oauth2/authorization/testidp?portal=app"));
        assertThat(start.status()).as(start.toString()).isEqualTo(302);
        assertThat(start.location()).startsWith(IDP.issuer() + "/oauth2/authorize?");
        Map<String, String> authorize = query(start.location());
        assertThat(authorize).containsKeys("state", "nonce", "code_challenge")
                .containsEntry("code_challenge_method", "S256").containsEntry("client_id", TestOidcProvider.CLIENT_ID)
                .containsEntry("redirect_uri", engage("/login/oauth2/code/testidp"));
        assertThat(authorize.get("scope").split(" ")).contains("openid", "email", "profile");
        // the authorization request waits in a sealed cookie for the callback path, not in a server session
        assertThat(start.setCookies()).singleElement().asString().startsWith("engage_oidc=v1.")
                .contains("Path=/login/oauth2/code/", "HttpOnly", "SameSite=Lax")
                .doesNotContain(authorize.get("state"), authorize.get("nonce"));

        Browser.Response callback = IDP.signIn(browser, start.location(), account);
        assertThat(callback.location()).as(callback.toString()).startsWith(engage("/login/oauth2/code/testidp?code="));
        Browser.Response landed = browser.get(callback.location());
        assertThat(landed.status()).as(landed.toString()).isEqualTo(302);
        assertThat(landed.location()).startsWith(engage("/app/login?code=eoc_"));
        String code = query(landed.location()).get("code");
        assertThat(browser.cookies()).filteredOn(c -> c.host().equals("127.0.0.1")).extracting(Browser.Cookie::name)
                .containsExactly(BINDING);
        assertThat(browser.cookies()).filteredOn(c -> c.name().equals(BINDING)).singleElement()
                .extracting(Browser.Cookie::attributes).asString()
                .contains("Path=/auth/oidc/exchange", "HttpOnly", "SameSite=Lax", "Max-Age=60");
        String binding = browser.cookie("127.0.0.1", BINDING);

        Browser.Response exchanged = browser.postJson(engage("/auth/oidc/exchange"), codeJson(code));
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        JsonNode tokens = json(exchanged.body());
        assertThat(tokens.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(tokens.get("expiresIn").asLong()).isEqualTo(900);
        assertThat(tokens.get("refreshToken").asText()).startsWith("ert_");
        String accessToken = tokens.get("accessToken").asText();
        JsonNode me = api.get("/auth/me", accessToken).json();
        assertThat(me.get("email").asText()).isEqualTo(company.email());
        assertThat(me.get("role").asText()).isEqualTo("COMPANY_ADMIN");
        assertThat(me.get("companyId").asText()).isEqualTo(company.id().toString());
        assertThat(api.get("/company/agents", accessToken).status()).isEqualTo(200);

        // Engage kept no session, and no token ever appeared in a URL
        List<Browser.Response> engageHops = browser.history().stream()
                .filter(r -> r.uri().getHost().equals("127.0.0.1")).toList();
        assertThat(engageHops).hasSize(3).allSatisfy(r -> assertThat(r.setCookies()).noneMatch(
                c -> c.startsWith("JSESSIONID")));
        assertThat(browser.history()).allSatisfy(r -> assertThat(String.valueOf(r.location()) + r.uri())
                .doesNotContain(accessToken.substring(0, 20), tokens.get("refreshToken").asText()));

        // one code, one exchange: its binding cookie is cleared, and the code is refused again...
        assertThat(browser.cookie("127.0.0.1", BINDING)).isNull();
        assertProblem(response(browser.postJson(engage("/auth/oidc/exchange"), codeJson(code))), 401);
        // ...and presented again with its binding, it revokes the session it was exchanged for
        browser.setCookie("127.0.0.1", BINDING, binding, "/auth/oidc/exchange");
        assertProblem(response(browser.postJson(engage("/auth/oidc/exchange"), codeJson(code))), 401);
        assertProblem(api.post("/auth/refresh", null, Map.of("refreshToken", tokens.get("refreshToken").asText())),
                401);

        assertThat(jdbc.sql("SELECT details FROM audit_log WHERE action = 'auth.oidc_login_succeeded' "
                + "AND actor_email = ?")
                .param(company.email()).query(String.class).list()).singleElement().asString()
                .contains("\"provider\":\"testidp\"");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM oidc_login_codes WHERE code_hash = ?")
                .param(SecretCipher.sha256Hex(code)).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void platformAdminSignsInAtTheAdminPortal() {
        TestOidcProvider.Account account = IDP.addAccount(ADMIN_EMAIL, true);
        Browser browser = new Browser();
        Browser.Response landed = signIn(browser, "testidp", "admin", account);
        assertThat(landed.location()).startsWith(engage("/admin/login?code="));
        String accessToken = exchange(browser, query(landed.location()).get("code"));
        JsonNode me = api.get("/auth/me", accessToken).json();
        assertThat(me.get("role").asText()).isEqualTo("PLATFORM_ADMIN");
        assertThat(me.get("email").asText()).isEqualTo(ADMIN_EMAIL);
        assertThat(api.get("/admin/companies", accessToken).status()).isEqualTo(200);
    }

    @Test
    void companyUsersCannotEnterTheAdminPortalNorAdminsTheCompanyPortal() {
        TestCompany company = signup();
        Browser browser = new Browser();
        Browser.Response companyAtAdmin = signIn(browser, "testidp", "admin", IDP.addAccount(company.email(), true));
        assertThat(companyAtAdmin.location()).isEqualTo(engage("/admin/login?error=no_account"));
        assertThat(browser.cookie("127.0.0.1", BINDING)).isNull();

        Browser other = new Browser();
        Browser.Response adminAtCompany = signIn(other, "testidp", "app", IDP.addAccount(ADMIN_EMAIL, true));
        assertThat(adminAtCompany.location()).isEqualTo(engage("/app/login?error=no_account"));

        assertThat(jdbc.sql("SELECT details FROM audit_log WHERE action = 'auth.oidc_login_failed' AND actor_email = ?")
                .param(company.email()).query(String.class).list()).singleElement().asString()
                .contains("\"provider\":\"testidp\"", "\"reason\":\"no_account\"");
    }

    @Test
    void anUnknownEmailGetsAnErrorAndNoCodeAndNoAccount() {
        String stranger = unique("stranger") + "@example.com";
        long codesBefore = jdbc.sql("SELECT COUNT(*) FROM oidc_login_codes").query(Long.class).single();
        Browser browser = new Browser();
        Browser.Response landed = signIn(browser, "testidp", "app", IDP.addAccount(stranger, true));
        assertThat(landed.location()).isEqualTo(engage("/app/login?error=no_account"));
        assertThat(browser.cookie("127.0.0.1", BINDING)).isNull();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM oidc_login_codes").query(Long.class).single()).isEqualTo(codesBefore);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM users WHERE email = ?").param(stranger).query(Long.class).single())
                .isZero();
        assertThat(jdbc.sql("SELECT details FROM audit_log WHERE action = 'auth.oidc_login_failed' AND actor_email = ?")
                .param(stranger).query(String.class).list()).singleElement().asString()
                .contains("\"reason\":\"no_account\"");
    }

    @Test
    void anUnverifiedOrMissingEmailIsRefusedUnlessTheProviderIsTrustedWithout() {
        TestCompany company = signup();
        TestOidcProvider.Account unverified = IDP.addAccount(company.email(), false);
        assertThat(signIn(new Browser(), "testidp", "app", unverified).location())
                .isEqualTo(engage("/app/login?error=email_unverified"));
        assertThat(signIn(new Browser(), "testidp", "app", IDP.addAccount(null, true)).location())
                .isEqualTo(engage("/app/login?error=email_missing"));

        // a provider configured with require-email-verified=false accepts the same identity
        Browser browser = new Browser();
        Browser.Response landed = signIn(browser, "lenient", "app", unverified);
        assertThat(landed.location()).startsWith(engage("/app/login?code="));
        String accessToken = exchange(browser, query(landed.location()).get("code"));
        assertThat(api.get("/auth/me", accessToken).json().get("email").asText()).isEqualTo(company.email());
    }

    @Test
    void theExchangeRefusesBadInputAndCodesNotValidForThisBrowser() {
        assertProblem(api.post("/auth/oidc/exchange", null, Map.of()), 422);
        assertProblem(api.post("/auth/oidc/exchange", null, Map.of("code", "x".repeat(201))), 422);
        assertProblem(api.send("POST", "/auth/oidc/exchange", null, "{not json", "application/json"), 400);
        assertProblem(api.post("/auth/oidc/exchange", null, Map.of("code", "eoc_no-such-code")), 401);

        TestCompany company = signup();
        TestOidcProvider.Account account = IDP.addAccount(company.email(), true);
        Browser browser = new Browser();
        String code = query(signIn(browser, "testidp", "app", account).location()).get("code");
        // a code without its browser's binding cookie (leaked, or planted in someone else's browser) is refused,
        // and stays usable by the browser it belongs to
        Api.Response stranger = api.post("/auth/oidc/exchange", null, Map.of("code", code));
        assertProblem(stranger, 401);
        assertThat(stranger.body()).doesNotContain(code);
        Browser wrongBinding = new Browser();
        wrongBinding.setCookie("127.0.0.1", BINDING, "not-the-binding", "/auth/oidc/exchange");
        assertProblem(response(wrongBinding.postJson(engage("/auth/oidc/exchange"), codeJson(code))), 401);
        assertThat(exchange(browser, code)).isNotBlank();

        // an expired code
        Browser late = new Browser();
        String expired = query(signIn(late, "testidp", "app", account).location()).get("code");
        jdbc.sql("UPDATE oidc_login_codes SET expires_at = ? WHERE code_hash = ?")
                .params(OffsetDateTime.now().minusSeconds(1), SecretCipher.sha256Hex(expired)).update();
        assertProblem(response(late.postJson(engage("/auth/oidc/exchange"), codeJson(expired))), 401);
    }

    @Test
    void callbacksThatMatchNoSignInOfThisBrowserGoBackWithAnError() {
        Browser browser = new Browser();
        Browser.Response start = browser.get(engage("/oauth2/authorization/testidp?portal=admin"));
        String state = query(start.location()).get("state");
        // a forged callback (another state) is refused; the admin portal is known from the sealed cookie
        assertThat(browser.get(engage("/login/oauth2/code/testidp?code=forged&state=forged")).location())
                .isEqualTo(engage("/admin/login?error=state_mismatch"));
        // ...and leaves the real sign-in intact: the provider's answer with the right state is still taken
        assertThat(browser.get(engage("/login/oauth2/code/testidp?error=access_denied&state=" + state)).location())
                .isEqualTo(engage("/admin/login?error=access_denied"));
        // a browser that started nothing
        assertThat(new Browser().get(engage("/login/oauth2/code/testidp?code=abc&state=" + state)).location())
                .isEqualTo(engage("/app/login?error=state_mismatch"));
        // a tampered cookie counts as none
        Browser tampered = new Browser();
        Browser.Response started = tampered.get(engage("/oauth2/authorization/testidp?portal=app"));
        String sealed = tampered.cookie("127.0.0.1", "engage_oidc");
        tampered.setCookie("127.0.0.1", "engage_oidc", sealed.substring(0, sealed.length() - 4) + "AAAA",
                "/login/oauth2/code/");
        assertThat(tampered.get(engage("/login/oauth2/code/testidp?code=abc&state="
                + query(started.location()).get("state"))).location())
                .isEqualTo(engage("/app/login?error=state_mismatch"));
        // no callback without code or error
        assertThat(new Browser().get(engage("/login/oauth2/code/testidp")).location())
                .isEqualTo(engage("/app/login?error=invalid_request"));
    }

    @Test
    void startingWithAnUnknownOrUnreachableProviderOrABadPortalGoesBackWithAnError() {
        Browser browser = new Browser();
        assertThat(browser.get(engage("/oauth2/authorization/nope?portal=app")).location())
                .isEqualTo(engage("/app/login?error=unknown_provider"));
        assertThat(browser.get(engage("/oauth2/authorization/testidp?portal=root")).location())
                .isEqualTo(engage("/app/login?error=invalid_request"));
        assertThat(browser.get(engage("/oauth2/authorization/testidp")).location())
                .isEqualTo(engage("/app/login?error=invalid_request"));
        // the provider that is down: Engage started anyway, and the sign-in reports it
        Browser.Response down = browser.get(engage("/oauth2/authorization/down?portal=admin"));
        assertThat(down.location()).isEqualTo(engage("/admin/login?error=provider_unavailable"));
        assertThat(browser.cookies()).isEmpty();
        assertThat(jdbc.sql("SELECT details FROM audit_log WHERE action = 'auth.oidc_login_failed' "
                + "AND details LIKE '%\"provider\":\"down\"%'").query(String.class).list()).isNotEmpty()
                .allSatisfy(details -> assertThat(details).contains("\"reason\":\"provider_unavailable\""));
    }

    @Test
    void theProvidersAreListedForThePortalWithoutSecrets() {
        for (String token : new String[] {null, "garbage.token"}) {
            Api.Response response = api.get("/auth/oidc/providers", token);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            JsonNode items = response.json().get("items");
            assertThat(items.findValuesAsText("id")).containsExactly("down", "lenient", "testidp");
            assertThat(items.findValuesAsText("name")).containsExactly("Down IdP", "Lenient IdP", "Test IdP");
            assertThat(items.findValuesAsText("loginUrl")).containsExactly("/oauth2/authorization/down",
                    "/oauth2/authorization/lenient", "/oauth2/authorization/testidp");
            assertThat(response.body()).doesNotContain(TestOidcProvider.CLIENT_SECRET, TestOidcProvider.CLIENT_ID,
                    IDP.issuer());
        }
    }

    @Test
    void aSignInStartedOnOneNodeFinishesOnAnother() {
        Map<String, String> properties = new HashMap<>(TestDatabase.properties());
        properties.putAll(OIDC);
        properties.put("server.port", "0");
        properties.put("engage.admin.email", ADMIN_EMAIL);
        properties.put("engage.admin.password", ADMIN_PASSWORD);
        String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        try (ConfigurableApplicationContext nodeB = new SpringApplicationBuilder(EngageApplication.class)
                .run(arguments)) {
            int portB = ((WebServerApplicationContext) nodeB).getWebServer().getPort();
            TestCompany company = signup();
            Browser browser = new Browser();
            Browser.Response start = browser.get(engage("/oauth2/authorization/testidp?portal=app"));
            Browser.Response callback = IDP.signIn(browser, start.location(), IDP.addAccount(company.email(), true));
            // the load balancer sends the callback to node B, which discovers the provider only now
            String onB = callback.location().replace(":" + port + "/", ":" + portB + "/");
            Browser.Response landed = browser.get(onB);
            assertThat(landed.location()).as(landed.toString())
                    .startsWith("http://127.0.0.1:" + portB + "/app/login?code=");
            // and the portal's exchange reaches node A again
            String accessToken = exchange(browser, query(landed.location()).get("code"));
            assertThat(api.get("/auth/me", accessToken).json().get("email").asText()).isEqualTo(company.email());
        }
    }

    /** From the portal's button to the portal's sign-in page: the last redirect, with ?code= or ?error=. */
    private Browser.Response signIn(Browser browser, String provider, String portal,
            TestOidcProvider.Account account) {
        Browser.Response start = browser.get(engage("/oauth2/authorization/" + provider + "?portal=" + portal));
        assertThat(start.location()).as(start.toString()).startsWith(IDP.issuer() + "/oauth2/authorize?");
        Browser.Response callback = IDP.signIn(browser, start.location(), account);
        assertThat(callback.location()).as(callback.toString())
                .startsWith(engage("/login/oauth2/code/" + provider + "?"));
        Browser.Response landed = browser.get(callback.location());
        assertThat(landed.status()).as(landed.toString()).isEqualTo(302);
        return landed;
    }

    /** The portal's exchange; returns the access token. */
    private String exchange(Browser browser, String code) {
        Browser.Response response = browser.postJson(engage("/auth/oidc/exchange"), codeJson(code));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return json(response.body()).get("accessToken").asText();
    }

    private static String codeJson(String code) {
        return "{\"code\":\"" + code + "\"}";
    }

    private static Map<String, String> query(String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String query = URI.create(url).getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            parameters.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return parameters;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + body, e);
        }
    }

    private static Api.Response response(Browser.Response response) {
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().forEach((name, values) -> headers.put(name, String.join(",", values)));
        return new Api.Response(response.status(), headers, response.body());
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
