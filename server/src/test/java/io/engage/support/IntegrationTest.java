package io.engage.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import io.engage.crypto.SecretCipher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration suite: the whole application on a random port, over real HTTP, on the database chosen by
 * {@code engage.test.db} (H2 file or PostgreSQL). One application context is shared by all test classes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "engage.admin.email=" + IntegrationTest.ADMIN_EMAIL,
        "engage.admin.password=" + IntegrationTest.ADMIN_PASSWORD,
        // the suite signs in hundreds of times from 127.0.0.1; per-account throttling keeps its defaults
        "engage.auth.login-attempts-per-address-per-minute=100000",
        "engage.auth.signups-per-address-per-hour=100000",
        // web pages for URL ingestion are served by the tests on 127.0.0.1
        "engage.knowledge.fetch-allow-private-addresses=true",
        // short leases so that crash-recovery tests do not wait a minute
        "engage.knowledge.job-lease=4s",
        // a price for the fake OpenAI-compatible server's model, so cost estimates are non-zero (USD per 1M tokens)
        "engage.analytics.prices[test-model].input=1000",
        "engage.analytics.prices[test-model].output=2000"})
@AutoConfigureObservability // metrics export is off in tests by default; /actuator/prometheus is part of the product
@ExtendWith(DatabaseAvailableCondition.class)
public abstract class IntegrationTest {

    public static final String ADMIN_EMAIL = "root@engage.test";
    public static final String ADMIN_PASSWORD = "admin-password-1";
    public static final String PASSWORD = "correct-horse-9";

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    /** Opens values read straight from sealed columns (transcript and analytics text). */
    @Autowired
    protected SecretCipher cipher;

    protected Api api;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeEach
    void createClient() {
        api = new Api(port);
    }

    public record TestCompany(UUID id, String email, String token) {
    }

    /** An agent of a fresh company: its id, widget key and the company admin's token. */
    public record TestAgent(String id, String key, String token) {
        public String path() {
            return "/company/agents/" + id;
        }
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected String adminToken() {
        Api.Response response = api.post("/admin/login", null,
                Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("accessToken").asText();
    }

    /** Signs up a new company; returns it with its admin's access token. */
    protected TestCompany signup() {
        String email = unique("owner") + "@example.com";
        Api.Response response = api.post("/company/signup", null,
                Map.of("companyName", unique("Company"), "email", email, "password", PASSWORD));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        String token = response.json().get("accessToken").asText();
        UUID companyId = UUID.fromString(api.get("/auth/me", token).json().get("companyId").asText());
        return new TestCompany(companyId, email, token);
    }

    protected String login(String path, String email, String password) {
        Api.Response response = api.post(path, null, Map.of("email", email, "password", password));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("accessToken").asText();
    }

    /** Creates an agent; returns the full response (agent fields plus apiKey). */
    protected JsonNode createAgent(String token, Map<String, ?> body) {
        Api.Response response = api.post("/company/agents", token, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    /** Indexes the two Skyhawk DS-3 facts (its price; a foldable 4K drone) that the memory and multi-node tests ask. */
    protected void indexSkyhawkFacts(String agentId, String token) {
        api.post("/rag/agents/" + agentId + "/index", token, Map.of("type", "text", "title", "Prices",
                "content", "The Skyhawk DS-3 costs 499 euros, including two batteries."));
        api.post("/rag/agents/" + agentId + "/index", token, Map.of("type", "text", "title", "Drone",
                "content", "The Skyhawk DS-3 is our foldable camera drone with 4K video."));
    }

    /** Signs up a company and creates an agent with these settings (named "Skyhawk Help" unless they say). */
    protected TestAgent newAgent(Map<String, ?> settings) {
        TestCompany company = signup();
        Map<String, Object> body = new HashMap<>(settings);
        body.putIfAbsent("name", "Skyhawk Help");
        JsonNode agent = createAgent(company.token(), body);
        return new TestAgent(agent.get("id").asText(), agent.get("apiKey").asText(), company.token());
    }

    protected static void assertProblem(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        JsonNode body = response.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.hasNonNull("title")).isTrue();
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "trace");
    }
}
