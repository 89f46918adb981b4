package io.engage.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthIT extends IntegrationTest {

    @Test
    void bootstrapAdminSignsInAndGetsTokens() {
        Api.Response response = api.post("/admin/login", null, Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD));
        assertThat(response.status()).isEqualTo(200);
        JsonNode tokens = response.json();
        assertThat(tokens.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(tokens.get("expiresIn").asLong()).isEqualTo(900);
        assertThat(tokens.get("accessToken").asText().split("\\.")).hasSize(3);
        assertThat(tokens.get("refreshToken").asText()).startsWith("ert_");

        JsonNode me = api.get("/auth/me", tokens.get("accessToken").asText()).json();
        assertThat(me.get("email").asText()).isEqualTo(ADMIN_EMAIL);
        assertThat(me.get("role").asText()).isEqualTo("PLATFORM_ADMIN");
        assertThat(me.get("companyId").isNull()).isTrue();
    }

    @Test
    void passwordsAreStoredAsArgon2Hashes() {
        TestCompany company = signup();
        String hash = jdbc.sql("SELECT password_hash FROM users WHERE email = ?").param(company.email())
                .query(String.class).single();
        assertThat(hash).startsWith("{argon2}$argon2id$").doesNotContain(PASSWORD);
    }

    @Test
    void wrongPasswordAndWrongAreaAreRejectedAlike() {
        TestCompany company = signup();
        assertProblem(api.post("/admin/login", null, Map.of("email", ADMIN_EMAIL, "password", "wrong-password")), 401);
        assertProblem(api.post("/admin/login", null, Map.of("email", "nobody@example.com", "password", "x")), 401);
        // a company admin cannot use the platform admin sign-in, and vice versa
        Api.Response companyAtAdmin = api.post("/admin/login", null,
                Map.of("email", company.email(), "password", PASSWORD));
        assertProblem(companyAtAdmin, 401);
        assertThat(companyAtAdmin.json().get("detail").asText()).isEqualTo("Invalid email or password");
        assertProblem(api.post("/company/login", null, Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD)), 401);
        // emails are case-insensitive
        assertThat(login("/company/login", company.email().toUpperCase(), PASSWORD)).isNotBlank();
    }

    @Test
    void signupValidatesAndRefusesDuplicateEmails() {
        TestCompany company = signup();
        Api.Response duplicate = api.post("/company/signup", null,
                Map.of("companyName", "Other", "email", company.email(), "password", PASSWORD));
        assertProblem(duplicate, 409);
        Api.Response invalid = api.post("/company/signup", null,
                Map.of("companyName", "", "email", "not-an-email", "password", "short"));
        assertProblem(invalid, 422);
        assertThat(invalid.json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("companyName", "email", "password");
    }

    /** The password policy holds on every way an account gets a password, as a field error naming the rule. */
    @Test
    void weakPasswordsAreRefusedWhereverAnAccountIsCreated() {
        String email = unique("grace.hopper") + "@example.com";
        assertPasswordRefused(api.post("/company/signup", null, Map.of("companyName", unique("Weak"), "email", email,
                "password", "eleven-char")), "password", "must have at least 12 characters");
        assertPasswordRefused(api.post("/company/signup", null, Map.of("companyName", unique("Weak"), "email", email,
                "password", "Password1234!")), "password", "is too common: it is on a list of frequently used passwords");
        assertPasswordRefused(api.post("/company/signup", null, Map.of("companyName", unique("Weak"), "email", email,
                "password", email.substring(0, email.indexOf('@')) + "-2024")), "password",
                "must not contain the name part of the email address");
        assertPasswordRefused(api.post("/company/signup", null, Map.of("companyName", unique("Weak"), "email", email,
                "password", "ab-ab-ab-ab-ab")), "password", "is too repetitive: use at least 4 different characters");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM users WHERE email = ?").param(email).query(Long.class).single())
                .isZero();

        assertPasswordRefused(api.post("/admin/companies", adminToken(), Map.of("name", unique("Weak"),
                "adminEmail", email, "adminPassword", "qwertyuiop12")), "adminPassword",
                "is too common: it is on a list of frequently used passwords");
        TestCompany company = signup();
        assertPasswordRefused(api.post("/company/users", company.token(), Map.of("email", email,
                "password", "iloveyou2024", "role", "COMPANY_MEMBER")), "password",
                "is too common: it is on a list of frequently used passwords");
        // a long passphrase without digits, capitals or symbols is fine
        assertThat(api.post("/company/users", company.token(), Map.of("email", email,
                "password", "purple staple giraffe", "role", "COMPANY_MEMBER")).status()).isEqualTo(201);
    }

    private static void assertPasswordRefused(Api.Response response, String field, String message) {
        assertProblem(response, 422);
        JsonNode errors = response.json().get("errors");
        assertThat(errors).as(response.toString()).hasSize(1);
        assertThat(errors.get(0).get("field").asText()).isEqualTo(field);
        assertThat(errors.get(0).get("message").asText()).isEqualTo(message);
        assertThat(response.json().get("detail").asText()).isEqualTo(field + ": " + message);
    }

    @Test
    void refreshTokensRotateAndReuseRevokesTheFamily() {
        TestCompany company = signup();
        JsonNode first = api.post("/company/login", null, Map.of("email", company.email(), "password", PASSWORD))
                .json();
        String refresh1 = first.get("refreshToken").asText();

        Api.Response rotated = api.post("/auth/refresh", null, Map.of("refreshToken", refresh1));
        assertThat(rotated.status()).isEqualTo(200);
        String refresh2 = rotated.json().get("refreshToken").asText();
        assertThat(refresh2).isNotEqualTo(refresh1);
        assertThat(api.get("/company/agents", rotated.json().get("accessToken").asText()).status()).isEqualTo(200);

        // replaying the used token is theft: it fails and takes the newer token down with it
        assertProblem(api.post("/auth/refresh", null, Map.of("refreshToken", refresh1)), 401);
        assertProblem(api.post("/auth/refresh", null, Map.of("refreshToken", refresh2)), 401);

        // only hashes are stored
        assertThat(jdbc.sql("SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = ? OR token_hash = ?")
                .params(refresh1, refresh2).query(Long.class).single()).isZero();
    }

    @Test
    void logoutRevokesTheRefreshToken() {
        TestCompany company = signup();
        String refresh = api.post("/company/login", null, Map.of("email", company.email(), "password", PASSWORD))
                .json().get("refreshToken").asText();
        assertThat(api.post("/auth/logout", null, Map.of("refreshToken", refresh)).status()).isEqualTo(204);
        assertProblem(api.post("/auth/refresh", null, Map.of("refreshToken", refresh)), 401);
        assertProblem(api.post("/auth/refresh", null, Map.of("refreshToken", "ert_forged")), 401);
    }

    @Test
    void invalidOrForeignTokensAreRejected() {
        Api.Response none = api.get("/company/agents", null);
        assertProblem(none, 401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertProblem(api.get("/company/agents", "not.a.jwt"), 401);

        // a token signed with another key (e.g. another installation) is refused
        TestCompany company = signup();
        String[] parts = company.token().split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + "AAAA" + parts[2].substring(4);
        assertProblem(api.get("/company/agents", forged), 401);
    }

    @Test
    void tokensStopWorkingWhenTheUserIsGone() {
        TestCompany company = signup();
        String admin = adminToken();
        assertThat(api.delete("/admin/companies/" + company.id(), admin).status()).isEqualTo(204);
        assertProblem(api.get("/company/agents", company.token()), 401);
        assertProblem(api.post("/company/login", null, Map.of("email", company.email(), "password", PASSWORD)), 401);
    }

    @Test
    void repeatedFailedLoginsAreThrottledPerAccount() {
        TestCompany company = signup();
        for (int i = 0; i < 10; i++) {
            assertProblem(api.post("/company/login", null, Map.of("email", company.email(), "password", "wrong-" + i)),
                    401);
        }
        Api.Response throttled = api.post("/company/login", null,
                Map.of("email", company.email(), "password", PASSWORD));
        assertProblem(throttled, 429);
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isPositive();
        // other accounts are unaffected
        TestCompany other = signup();
        assertThat(login("/company/login", other.email(), PASSWORD)).isNotBlank();
    }

    @Test
    void rolesAreEnforcedByArea() {
        TestCompany company = signup();
        String admin = adminToken();
        assertProblem(api.get("/admin/companies", company.token()), 403);
        assertProblem(api.get("/admin/agents", company.token()), 403);
        // a platform admin has no company: company endpoints are not theirs
        assertProblem(api.get("/company/agents", admin), 403);
    }
}
