package io.engage.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.stereotype.Component;

/**
 * The OpenID Connect providers users may sign in with: {@code engage.oidc.<id>.*}, i.e. the environment variables
 * {@code ENGAGE_OIDC_<ID>_ISSUER_URI}, {@code _CLIENT_ID}, {@code _CLIENT_SECRET}, {@code _NAME}, {@code _SCOPES} and
 * {@code _REQUIRE_EMAIL_VERIFIED}. None by default. Spring Boot's own {@code spring.security.oauth2.client.*} is not
 * used because it fetches every issuer's discovery document at startup, so one provider being down would keep Engage
 * from starting: here discovery happens on a provider's first sign-in, and a failed one is retried after a pause.
 * Broken configuration (missing issuer or client id, bad id) still fails the start.
 */
@Component
class OidcProviders {

    /** Ids end up in URLs and environment variable names: lower-case letters and digits (dashes from YAML only). */
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final List<String> DEFAULT_SCOPES = List.of("openid", "email", "profile");
    /** How long a failed discovery is not retried, so a down provider is not hammered by every click. */
    private static final Duration RETRY_DISCOVERY_AFTER = Duration.ofSeconds(10);
    static final String PROVIDER_UNAVAILABLE = "provider_unavailable";
    private static final Logger log = LoggerFactory.getLogger(OidcProviders.class);

    /** One provider as configured; unset fields are null. */
    record Settings(String issuerUri, String clientId, String clientSecret, String name, List<String> scopes,
            Boolean requireEmailVerified) {
    }

    /** A validated provider. Without a client secret Engage is a public client (PKCE is used either way). */
    record Provider(String id, String name, String issuerUri, String clientId, String clientSecret,
            List<String> scopes, boolean requireEmailVerified) {

        @Override
        public String toString() {
            return "Provider[" + id + ", " + issuerUri + "]"; // never the secret
        }
    }

    private final Map<String, Provider> providers;
    private final Map<String, ClientRegistration> discovered = new ConcurrentHashMap<>();
    private final Map<String, Instant> failedAt = new ConcurrentHashMap<>();

    @Autowired
    OidcProviders(Environment environment) {
        this(Binder.get(environment).bind("engage.oidc", Bindable.mapOf(String.class, Settings.class))
                .orElse(Map.of()));
    }

    OidcProviders(Map<String, Settings> configured) {
        Map<String, Provider> valid = new java.util.TreeMap<>();
        configured.forEach((id, settings) -> valid.put(id, validate(id, settings)));
        this.providers = Map.copyOf(valid);
        if (!providers.isEmpty()) {
            log.info("OIDC sign-in providers: {}", providers.values());
        }
    }

    private static Provider validate(String id, Settings settings) {
        String where = "OIDC provider '" + id + "' (engage.oidc." + id + ".*): ";
        if (!ID.matcher(id).matches()) {
            throw new IllegalStateException(where + "ids are 1-32 lower-case letters, digits or dashes");
        }
        if (settings == null || isBlank(settings.issuerUri()) || isBlank(settings.clientId())) {
            throw new IllegalStateException(where + "issuer-uri and client-id are required");
        }
        if (!settings.issuerUri().startsWith("https://") && !settings.issuerUri().startsWith("http://")) {
            throw new IllegalStateException(where + "issuer-uri must be an http(s) URL");
        }
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add("openid"); // what makes it OpenID Connect: an ID token
        (settings.scopes() == null || settings.scopes().isEmpty() ? DEFAULT_SCOPES : settings.scopes()).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).forEach(scopes::add);
        return new Provider(id, isBlank(settings.name()) ? id : settings.name().trim(), settings.issuerUri().trim(),
                settings.clientId().trim(), isBlank(settings.clientSecret()) ? null : settings.clientSecret(),
                List.copyOf(scopes), settings.requireEmailVerified() == null || settings.requireEmailVerified());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** Every configured provider, by id. */
    List<Provider> all() {
        List<Provider> all = new ArrayList<>(providers.values());
        all.sort(Comparator.comparing(Provider::id));
        return all;
    }

    Optional<Provider> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(providers.get(id));
    }

    /** Spring Security's view: null for an unknown id, discovery on first use. */
    ClientRegistrationRepository registrations() {
        return this::registration;
    }

    private ClientRegistration registration(String id) {
        Provider provider = find(id).orElse(null);
        if (provider == null) {
            return null;
        }
        ClientRegistration registration = discovered.get(id);
        if (registration != null) {
            return registration;
        }
        synchronized (provider) { // one discovery at a time per provider
            registration = discovered.get(id);
            if (registration != null) {
                return registration;
            }
            Instant failed = failedAt.get(id);
            if (failed != null && Instant.now().isBefore(failed.plus(RETRY_DISCOVERY_AFTER))) {
                throw unavailable(provider);
            }
            try {
                registration = discover(provider);
            } catch (RuntimeException e) {
                failedAt.put(id, Instant.now());
                log.warn("OIDC discovery for provider '{}' at {} failed: {}", id, provider.issuerUri(), e.toString());
                throw unavailable(provider);
            }
            failedAt.remove(id);
            discovered.put(id, registration);
            log.info("OIDC provider '{}' discovered: {}", id, provider.issuerUri());
            return registration;
        }
    }

    /** The issuer's discovery document; Spring checks that the document names exactly this issuer. */
    private static ClientRegistration discover(Provider provider) {
        ClientRegistration.Builder builder = ClientRegistrations.fromOidcIssuerLocation(provider.issuerUri())
                .registrationId(provider.id())
                .clientName(provider.name())
                .clientId(provider.clientId())
                .scope(provider.scopes())
                .userNameAttributeName(IdTokenClaimNames.SUB)
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}");
        if (provider.clientSecret() == null) {
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
        } else {
            builder.clientSecret(provider.clientSecret());
        }
        return builder.build();
    }

    /** An authentication failure, so that both the redirect and the callback report it to the portal. */
    private static OAuth2AuthenticationException unavailable(Provider provider) {
        return new OAuth2AuthenticationException(new OAuth2Error(PROVIDER_UNAVAILABLE,
                "The identity provider '" + provider.id() + "' cannot be reached", null));
    }
}
