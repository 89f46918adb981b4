package io.engage.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;

class OidcProvidersTest {

    private static OidcProviders fromEnvironment(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        // named like the real one: only "systemEnvironment" sources get the ENV_VAR_NAME → property name mapping
        environment.getPropertySources().addFirst(
                new SystemEnvironmentPropertySource("test-systemEnvironment", variables));
        return new OidcProviders(environment);
    }

    @Test
    void providersComeFromEnvironmentVariablesWithDefaults() {
        OidcProviders providers = fromEnvironment(Map.of(
                "ENGAGE_OIDC_KEYCLOAK_ISSUER_URI", "https://sso.example.com/realms/staff",
                "ENGAGE_OIDC_KEYCLOAK_CLIENT_ID", "engage",
                "ENGAGE_OIDC_KEYCLOAK_CLIENT_SECRET", "s3cret",
                "ENGAGE_OIDC_KEYCLOAK_NAME", "Staff SSO",
                "ENGAGE_OIDC_ENTRA_ISSUER_URI", "https://login.microsoftonline.com/tenant/v2.0",
                "ENGAGE_OIDC_ENTRA_CLIENT_ID", "app-id",
                "ENGAGE_OIDC_ENTRA_SCOPES", "email,profile",
                "ENGAGE_OIDC_ENTRA_REQUIRE_EMAIL_VERIFIED", "false"));

        assertThat(providers.all()).extracting(OidcProviders.Provider::id).containsExactly("entra", "keycloak");
        OidcProviders.Provider keycloak = providers.find("keycloak").orElseThrow();
        assertThat(keycloak.name()).isEqualTo("Staff SSO");
        assertThat(keycloak.issuerUri()).isEqualTo("https://sso.example.com/realms/staff");
        assertThat(keycloak.clientSecret()).isEqualTo("s3cret");
        assertThat(keycloak.scopes()).containsExactly("openid", "email", "profile");
        assertThat(keycloak.requireEmailVerified()).isTrue();
        assertThat(keycloak.toString()).doesNotContain("s3cret");

        OidcProviders.Provider entra = providers.find("entra").orElseThrow();
        assertThat(entra.name()).isEqualTo("entra");
        assertThat(entra.clientSecret()).isNull();
        assertThat(entra.scopes()).containsExactly("openid", "email", "profile");
        assertThat(entra.requireEmailVerified()).isFalse();
    }

    @Test
    void noneByDefault() {
        assertThat(fromEnvironment(Map.of()).all()).isEmpty();
        assertThat(fromEnvironment(Map.of()).registrations().findByRegistrationId("google")).isNull();
    }

    @Test
    void brokenConfigurationFailsTheStartWithTheProviderNamed() {
        assertThatThrownBy(() -> fromEnvironment(Map.of("ENGAGE_OIDC_GOOGLE_CLIENT_ID", "x")))
                .hasMessageContaining("'google'").hasMessageContaining("issuer-uri and client-id are required");
        assertThatThrownBy(() -> fromEnvironment(Map.of("ENGAGE_OIDC_GOOGLE_ISSUER_URI", "accounts.google.com",
                "ENGAGE_OIDC_GOOGLE_CLIENT_ID", "x"))).hasMessageContaining("http(s) URL");
        StandardEnvironment yaml = new StandardEnvironment();
        yaml.getPropertySources().addFirst(new MapPropertySource("yaml", Map.of(
                "engage.oidc.[My IdP].issuer-uri", "https://idp.example.com", "engage.oidc.[My IdP].client-id", "x")));
        assertThatThrownBy(() -> new OidcProviders(yaml)).hasMessageContaining("ids are");
    }

    @Test
    void anUnreachableProviderIsReportedAsUnavailableAndNotRetriedAtOnce() {
        OidcProviders providers = new OidcProviders(Map.of("down", new OidcProviders.Settings(
                "http://127.0.0.1:1", "engage", null, "Down", List.of(), null)));
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> providers.registrations().findByRegistrationId("down"))
                    .isInstanceOf(OAuth2AuthenticationException.class)
                    .extracting(e -> ((OAuth2AuthenticationException) e).getError().getErrorCode())
                    .isEqualTo("provider_unavailable");
        }
    }

    @Test
    void errorCodesShownToThePortalComeFromAFixedList() {
        assertThat(OidcSignIn.errorCode(new OAuth2AuthenticationException("authorization_request_not_found")))
                .isEqualTo("state_mismatch");
        assertThat(OidcSignIn.errorCode(new OAuth2AuthenticationException("access_denied"))).isEqualTo("access_denied");
        assertThat(OidcSignIn.errorCode(new OAuth2AuthenticationException("<script>alert(1)</script>")))
                .isEqualTo("provider_error");
        assertThat(OidcSignIn.errorCode(new IllegalStateException("boom"))).isEqualTo("provider_error");
    }
}
