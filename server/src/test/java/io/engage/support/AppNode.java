package io.engage.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.engage.EngageApplication;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * An Engage node of a test's own, started like a real one (settings as command-line arguments) and stopped or
 * "killed" by the test: for fault tests, which must not stop the suite's shared node. Test settings as in
 * {@link IntegrationTest}.
 */
public final class AppNode implements AutoCloseable {

    private static final Map<String, String> TEST_DEFAULTS = Map.of(
            "server.port", "0",
            "engage.admin.email", IntegrationTest.ADMIN_EMAIL,
            "engage.admin.password", IntegrationTest.ADMIN_PASSWORD,
            "engage.auth.login-attempts-per-address-per-minute", "100000",
            "engage.auth.signups-per-address-per-hour", "100000",
            "engage.knowledge.fetch-allow-private-addresses", "true",
            "engage.knowledge.job-lease", "4s");

    private final ConfigurableApplicationContext context;
    private final Api api;
    private final DataSource direct;

    private AppNode(ConfigurableApplicationContext context) {
        this.context = context;
        this.api = new Api(port());
        Environment environment = context.getEnvironment();
        this.direct = new DriverManagerDataSource(environment.getProperty("spring.datasource.url"),
                environment.getProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password"));
    }

    /** Starts a node with these settings over the test defaults. */
    public static AppNode start(Map<String, String> settings) {
        return start(settings, new Class<?>[0]);
    }

    /** Starts a node with these settings and the test's own configuration classes besides the application's. */
    public static AppNode start(Map<String, String> settings, Class<?>... testConfigurations) {
        return new AppNode(new SpringApplicationBuilder(EngageApplication.class).sources(testConfigurations)
                .run(arguments(settings)));
    }

    /**
     * These settings over the test defaults as command-line arguments, which take precedence over application.yml
     * like a real node's environment (also for one-off commands such as {@code reencrypt}).
     */
    public static String[] arguments(Map<String, String> settings) {
        Map<String, String> properties = new LinkedHashMap<>(TEST_DEFAULTS);
        properties.putAll(settings);
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public Api api() {
        return api;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** SQL on the node's database through a connection of the test's own: works after the node is gone too. */
    public JdbcClient jdbc() {
        return JdbcClient.create(direct);
    }

    public boolean isRunning() {
        return context.isActive();
    }

    /** A clean stop: graceful shutdown, as on SIGTERM. */
    @Override
    public void close() {
        if (context.isActive()) {
            context.close();
        }
    }

    /**
     * As if the process were killed: its database connections are cut (the pool is closed), so from then on it can
     * neither finish nor hand back anything; then its context is closed to free its port and threads. What the
     * database is left with is what a killed node leaves behind.
     */
    public void crash() {
        cutDatabase();
        close();
    }

    /** The first half of {@link #crash()}: for a test that must unblock the node's threads before closing it. */
    public void cutDatabase() {
        try {
            context.getBean(DataSource.class).unwrap(HikariDataSource.class).close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A company (signed up through the API) with one agent. */
    public record Tenant(String token, String agentId, String key) {

        public String path() {
            return "/company/agents/" + agentId;
        }
    }

    /** Signs up a new company and creates an agent with these settings. */
    public Tenant signupWithAgent(Map<String, ?> agentSettings) {
        Api.Response signup = api.post("/company/signup", null, Map.of("companyName", "Company " + suffix(),
                "email", "owner-" + suffix() + "@example.com", "password", IntegrationTest.PASSWORD));
        assertThat(signup.status()).as(signup.toString()).isEqualTo(201);
        String token = signup.json().get("accessToken").asText();
        Map<String, Object> body = new HashMap<>(agentSettings);
        body.putIfAbsent("name", "Skyhawk Help");
        Api.Response created = api.post("/company/agents", token, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode agent = created.json();
        return new Tenant(token, agent.get("id").asText(), agent.get("apiKey").asText());
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
