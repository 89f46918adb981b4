package io.engage.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * Which database the integration suite runs on: {@code -Dengage.test.db=h2} (the embedded default, a file database in
 * a fresh data directory) or {@code postgres} (a fresh database created on the PostgreSQL at
 * {@code ENGAGE_TEST_PG_URL}, default jdbc:postgresql://127.0.0.1:5432/postgres, user postgres, and dropped at exit).
 */
public final class TestDatabase {

    public static final String KIND = System.getProperty("engage.test.db", "h2");
    static final String PG_ADMIN_URL = env("ENGAGE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String PG_USER = env("ENGAGE_TEST_PG_USER", "postgres");
    static final String PG_PASSWORD = env("ENGAGE_TEST_PG_PASSWORD", "");

    /** Database 15 keeps the suite's keys apart from anything else on the machine's Redis. */
    public static final String REDIS_URL = env("ENGAGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15");

    private static Map<String, String> properties;

    private TestDatabase() {
    }

    public static boolean isPostgres() {
        return "postgres".equals(KIND);
    }

    /** Null when PostgreSQL is reachable, else why not. */
    static String postgresUnavailableReason() {
        try (Connection ignored = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, PG_PASSWORD)) {
            return null;
        } catch (SQLException e) {
            return "PostgreSQL not reachable at " + PG_ADMIN_URL + " (" + e.getMessage() + ")";
        }
    }

    /** Spring properties pointing the application at this run's database (created once per JVM). */
    public static synchronized Map<String, String> properties() {
        if (properties == null) {
            properties = freshProperties();
        }
        return properties;
    }

    /**
     * Properties of a database of the caller's own on this run's kind of database (a new H2 data directory, or a new
     * PostgreSQL database dropped at exit): for tests that start and stop nodes of their own, so that the suite's
     * shared node (whose background workers poll its database) takes no part.
     */
    public static Map<String, String> freshProperties() {
        return isPostgres() ? createPostgresDatabase() : h2DataDir();
    }

    private static Map<String, String> h2DataDir() {
        try {
            Path dataDir = Files.createTempDirectory("engage-it-");
            return Map.of("engage.data-dir", dataDir.toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> createPostgresDatabase() {
        String name = "engage_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, PG_PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dropPostgresDatabase(name)));
        String url = PG_ADMIN_URL.substring(0, PG_ADMIN_URL.lastIndexOf('/') + 1) + name;
        try {
            // the production-like run: PostgreSQL plus Redis for memory and rate limits (the H2 run keeps the
            // embedded defaults: in-process memory and per-node limits)
            return Map.of("spring.datasource.url", url, "spring.datasource.username", PG_USER,
                    "spring.datasource.password", PG_PASSWORD,
                    "engage.data-dir", Files.createTempDirectory("engage-it-").toString(),
                    "spring.data.redis.url", REDIS_URL);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void dropPostgresDatabase(String name) {
        try (Connection connection = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, PG_PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + name + ": " + e.getMessage());
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
