package io.engage.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.support.Api;
import io.engage.support.AppNode;
import io.engage.support.IntegrationTest;
import io.engage.support.PostgresProcess;
import io.engage.support.TestDatabase;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Analytics reports read from a real streaming replica (a hot standby made with pg_basebackup from the node's own
 * primary) when {@code engage.analytics.replica.url} names one. Proved by pausing the replica's replay: questions
 * answered meanwhile are stored on the primary but missing from the reports until the replay resumes.
 */
class AnalyticsReplicaIT {

    @Test
    void reportsReadTheReplicaAndCatchUpWithItsReplay() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "PostgreSQL run only: H2 has no replicas");
        assumeTrue(PostgresProcess.available(), "PostgreSQL's initdb/pg_ctl are not installed");
        try (PostgresProcess primary = new PostgresProcess()) {
            primary.createDatabase("engage");
            try (PostgresProcess replica = primary.standby();
                    AppNode node = AppNode.start(Map.of("spring.datasource.url", primary.jdbcUrl("engage"),
                            "spring.datasource.username", "postgres", "spring.datasource.password", "",
                            "engage.analytics.replica.url", replica.jdbcUrl("engage"),
                            "engage.data-dir", Files.createTempDirectory("engage-it-").toString()))) {
                Api api = node.api();
                AppNode.Tenant tenant = node.signupWithAgent(Map.of());
                AppNode.Tenant other = node.signupWithAgent(Map.of());
                api.post("/rag/agents/" + tenant.agentId() + "/index", tenant.token(), Map.of("type", "text",
                        "title", "Prices", "content", "The Skyhawk DS-3 costs 499 euros, including two batteries."));
                api.ask(tenant.key(), "alice", "What does the Skyhawk DS-3 cost?");
                Supplier<Long> messages = () -> report(api, tenant.token()).get("totals").get("messages").asLong();
                awaitValue(messages, 1, "the first turn, once the replica has replayed it");

                execute(replica, "SELECT pg_wal_replay_pause()");
                api.ask(tenant.key(), "bob", "How much is the DS-3?");
                api.ask(tenant.key(), "carol", "Is the DS-3 expensive?");
                // the report waits for this node's queued writes to reach the primary, then reads the paused replica
                assertThat(messages.get()).isEqualTo(1);
                assertThat(count(primary, "SELECT count(*) FROM messages")).isEqualTo(6);

                execute(replica, "SELECT pg_wal_replay_resume()");
                awaitValue(messages, 3, "all three turns after the replay resumed");
                // another company's report, from the same replica, is still its own
                assertThat(report(api, other.token()).get("totals").get("messages").asLong()).isZero();
                String admin = api.post("/admin/login", null, Map.of("email", IntegrationTest.ADMIN_EMAIL,
                        "password", IntegrationTest.ADMIN_PASSWORD)).json().get("accessToken").asText();
                Api.Response platform = api.get("/admin/analytics", admin);
                assertThat(platform.status()).as(platform.toString()).isEqualTo(200);
                assertThat(platform.json().get("totals").get("messages").asLong()).isEqualTo(3);

                // without its replica, reports are unavailable (503) and answers go on
                replica.stop();
                assertProblem(api.get("/company/analytics", tenant.token()), 503);
                api.ask(tenant.key(), "dave", "What does the Skyhawk DS-3 cost?");
            }
        }
    }

    private static void assertProblem(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    private static JsonNode report(Api api, String token) {
        Api.Response response = api.get("/company/analytics", token);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static void awaitValue(Supplier<Long> value, long expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        long last = value.get();
        while (last != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = value.get();
        }
        assertThat(last).as(what).isEqualTo(expected);
    }

    private static void execute(PostgresProcess server, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("engage"), "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(PostgresProcess server, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("engage"), "postgres", "");
                Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
