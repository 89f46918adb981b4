package io.engage.support;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

/**
 * A real OpenID provider for tests: Spring Authorization Server (discovery, authorize with a login form, token,
 * JWKS, userinfo; PKCE required; ID tokens signed RS256) on a random port of the loopback interface, in its own small
 * Spring context (no Boot auto-configuration, no Engage beans, no logging re-initialisation). Its issuer is
 * {@code http://localhost:<port>} and the client it knows may redirect to {@code http://127.0.0.1:<any
 * port>/login/oauth2/code/<id>} for the given ids (loopback redirects may use any port): so the provider's cookies
 * (host localhost) and Engage's (host 127.0.0.1) stay apart in one {@link Browser}. Accounts are added by the tests,
 * each with the email claims its ID token and userinfo carry.
 */
public final class TestOidcProvider implements AutoCloseable {

    public static final String CLIENT_ID = "engage-test";
    public static final String CLIENT_SECRET = "test-client-secret-" + UUID.randomUUID();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    /** A person at the provider; a null email leaves the claim out. */
    public record Account(String username, String password, String email, boolean emailVerified) {
    }

    /** What the provider's beans read: its accounts and the client's callback ids. */
    record State(Map<String, Account> accounts, List<String> callbackIds) {
    }

    private final AnnotationConfigServletWebServerApplicationContext context;
    private final State state;

    private TestOidcProvider(List<String> callbackIds) {
        state = new State(new ConcurrentHashMap<>(), List.copyOf(callbackIds));
        context = new AnnotationConfigServletWebServerApplicationContext();
        context.registerBean(State.class, () -> state);
        context.register(Config.class);
        context.refresh();
    }

    /** Starts a provider whose client may call back to these Engage provider ids. */
    public static TestOidcProvider start(String... callbackIds) {
        return new TestOidcProvider(List.of(callbackIds));
    }

    public int port() {
        return context.getWebServer().getPort();
    }

    public String issuer() {
        return "http://localhost:" + port();
    }

    public Account addAccount(String email, boolean emailVerified) {
        Account account = new Account("user-" + UUID.randomUUID().toString().substring(0, 8),
                "pw-" + UUID.randomUUID(), email, emailVerified);
        state.accounts().put(account.username(), account);
        return account;
    }

    /**
     * Signs in at the provider the way a person would: from the provider's authorization URL through its login form
     * (with its CSRF token) back to the authorization endpoint. Returns the provider's final response: the redirect
     * to the client's callback.
     */
    public Browser.Response signIn(Browser browser, String authorizationUrl, Account account) {
        Browser.Response response = browser.followWithin(authorizationUrl, "localhost");
        if (response.status() == 200 && response.body().contains("_csrf")) { // the login form
            Matcher csrf = CSRF.matcher(response.body());
            if (!csrf.find()) {
                throw new AssertionError("No CSRF token in the login page: " + response.body());
            }
            Browser.Response posted = browser.postForm(issuer() + "/login", Map.of("username", account.username(),
                    "password", account.password(), "_csrf", csrf.group(1)));
            response = posted.location() == null ? posted : browser.followWithin(posted.location(), "localhost");
        }
        return response;
    }

    @Override
    public void close() {
        context.close();
    }

    /** The provider's beans (registered explicitly, never component-scanned: no @Configuration). */
    @EnableWebSecurity
    static class Config {

        @Bean
        TomcatServletWebServerFactory webServerFactory() {
            TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(0);
            factory.setAddress(InetAddress.getLoopbackAddress());
            factory.setRegisterDefaultServlet(true); // Tomcat runs filters only for requests mapped to a servlet
            return factory;
        }

        @Bean
        @Order(1)
        SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
            OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
            http.securityMatcher(server.getEndpointsMatcher())
                    .with(server, s -> s.oidc(Customizer.withDefaults()))
                    .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
                    .exceptionHandling(e -> e.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")));
            return http.build();
        }

        @Bean
        @Order(2)
        SecurityFilterChain loginForm(HttpSecurity http) throws Exception {
            http.authorizeHttpRequests(auth -> auth.anyRequest().authenticated()).formLogin(Customizer.withDefaults());
            return http.build();
        }

        @Bean
        UserDetailsService users(State state) {
            return username -> {
                Account account = state.accounts().get(username);
                if (account == null) {
                    throw new UsernameNotFoundException(username);
                }
                return User.withUsername(username).password("{noop}" + account.password()).roles("USER").build();
            };
        }

        @Bean
        RegisteredClientRepository clients(State state) {
            RegisteredClient.Builder client = RegisteredClient.withId(UUID.randomUUID().toString())
                    .clientId(CLIENT_ID)
                    .clientSecret("{noop}" + CLIENT_SECRET)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .scope(OidcScopes.OPENID).scope(OidcScopes.PROFILE).scope(OidcScopes.EMAIL)
                    .clientSettings(ClientSettings.builder().requireAuthorizationConsent(false).requireProofKey(true)
                            .build());
            state.callbackIds().forEach(id -> client.redirectUri("http://127.0.0.1/login/oauth2/code/" + id));
            return new InMemoryRegisteredClientRepository(client.build());
        }

        @Bean
        OAuth2TokenCustomizer<JwtEncodingContext> emailClaims(State state) {
            return context -> {
                Account account = state.accounts().get(context.getPrincipal().getName());
                if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue()) && account != null
                        && account.email() != null) {
                    context.getClaims().claim("email", account.email())
                            .claim("email_verified", account.emailVerified());
                }
            };
        }

        @Bean
        JWKSource<SecurityContext> jwkSource() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    .privateKey((RSAPrivateKey) pair.getPrivate()).keyID(UUID.randomUUID().toString()).build();
            return new ImmutableJWKSet<>(new JWKSet(key));
        }

        /** For the userinfo endpoint, which takes the access tokens this provider issued. */
        @Bean
        JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource) {
            return OAuth2AuthorizationServerConfiguration.jwtDecoder(jwkSource);
        }

        @Bean
        AuthorizationServerSettings authorizationServerSettings() {
            return AuthorizationServerSettings.builder().build(); // issuer: the URL the request came to
        }
    }
}
