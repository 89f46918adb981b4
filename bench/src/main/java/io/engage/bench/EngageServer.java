package io.engage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A throw-away Engage server: {@code java -jar server/target/engage.jar} on a free loopback port with a fresh data
 * directory (and optionally a fresh PostgreSQL database), stopped again by {@link #close()} or, failing that, by a
 * shutdown hook. Also the login helpers: the platform admin's and a new company's.
 */
final class EngageServer implements AutoCloseable {

    static final String ADMIN_EMAIL = "bench@engage.local";
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * JVM options of the servers, after {@code -Xmx}: the container image's (server-jvm.properties, from the root
     * pom), or {@code -Dengage.bench.jvm="..."}. On the command line, not in JAVA_TOOL_OPTIONS, where G1 ignores
     * some heap-sizing flags (-XX:MaxNewSize).
     */
    private static final Properties IMAGE_JVM = imageJvm();
    private static final List<String> JVM_OPTIONS = Stream.of(System.getProperty("engage.bench.jvm",
            IMAGE_JVM.getProperty("options", "")).split(" ")).filter(option -> !option.isBlank()).toList();
    private static final String CONTAINER = "container:";

    private final Process process;
    private final String baseUrl;
    private final Path dataDir;
    private final Path log;
    private final String adminPassword;
    private final PostgresDatabase database;
    private final boolean ownsDatabase;
    private final Http http = new Http();
    private final Thread shutdownHook;
    private volatile boolean stopped;

    /** Where the server jar is: {@code --jar}, else server/target/engage.jar from here or from bench/. */
    static Path findJar(String explicit) {
        List<Path> candidates = explicit != null ? List.of(Path.of(explicit))
                : List.of(Path.of("server/target/engage.jar"), Path.of("../server/target/engage.jar"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("Server jar not found (looked for " + candidates + "). Build it first with "
                + "`./mvnw -q -pl server -am package -DskipTests` in the repository root, or pass --jar PATH.");
    }

    /**
     * Starts the server and waits until {@code /actuator/health} says UP.
     *
     * @param postgresUrl null for the embedded H2 database, else a JDBC URL of a PostgreSQL server on this machine;
     *                    a fresh database {@code engage_bench_<random>} is created on it and dropped afterwards
     * @param extraEnv more environment for the server (e.g. ENGAGE_KNOWLEDGE_WORKERS)
     */
    static EngageServer start(Path jar, String postgresUrl, String xmx, Map<String, String> extraEnv) {
        PostgresDatabase database = postgresUrl == null ? null : PostgresDatabase.create(postgresUrl);
        try {
            return new EngageServer(jar, database, true, xmx, extraEnv);
        } catch (RuntimeException e) {
            if (database != null) {
                database.drop();
            }
            throw e;
        }
    }

    /** The {@code java} of the JVM running the bench: servers and child benches run on the same Java. */
    static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Starts the server on a database the caller made (see {@link PostgresDatabase#recreate}) and keeps it when the
     * server stops, so that another server can start on the same data.
     */
    static EngageServer start(Path jar, PostgresDatabase database, String xmx, Map<String, String> extraEnv) {
        return new EngageServer(jar, database, false, xmx, extraEnv);
    }

    private EngageServer(Path jar, PostgresDatabase database, boolean ownsDatabase, String xmx,
            Map<String, String> extraEnv) {
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        int port = freePort();
        this.baseUrl = "http://127.0.0.1:" + port;
        // a server started again on the same database keeps the admin created first: the caller passes its password.
        // Not "bench...": the password policy refuses passwords containing the email's name part (bench@engage.local)
        this.adminPassword = extraEnv.getOrDefault("ENGAGE_ADMIN_PASSWORD",
                "Perf-" + HexFormat.of().formatHex(randomBytes(12)));
        try {
            this.dataDir = Files.createTempDirectory("engage-bench-data-");
            this.log = Files.createTempFile("engage-bench-server-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(javaCommand()));
        command.addAll(jvmOptions(xmx));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        // a clean server: nothing from the caller's environment decides where it stores data or listens
        env.keySet().removeIf(name -> name.startsWith("ENGAGE_") || name.startsWith("SPRING_")
                || name.startsWith("SERVER_") || name.equals("OPENAI_API_KEY") || name.equals("GEMINI_API_KEY")
                || name.equals("OLLAMA_BASE_URL") || name.equals("JAVA_TOOL_OPTIONS"));
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        env.put("ENGAGE_DATA_DIR", dataDir.toString());
        env.put("ENGAGE_ADMIN_EMAIL", ADMIN_EMAIL);
        env.put("ENGAGE_ADMIN_PASSWORD", adminPassword);
        if (database != null) {
            env.put("SPRING_DATASOURCE_URL", database.serverUrl);
            env.put("SPRING_DATASOURCE_USERNAME", database.user);
            if (database.password != null) {
                env.put("SPRING_DATASOURCE_PASSWORD", database.password);
            }
        }
        env.putAll(extraEnv);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        System.out.printf("Starting %s on %s (data %s%s, log %s)%n", jar.getFileName(), baseUrl, dataDir,
                database == null ? ", H2" : ", PostgreSQL database " + database.name, log);
        long start = System.nanoTime();
        try {
            this.process = builder.start();
        } catch (IOException e) {
            deleteRecursively(dataDir);
            throw new UncheckedIOException("could not start " + builder.command().get(0), e);
        }
        this.shutdownHook = new Thread(this::stop, "engage-bench-stop-server");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            awaitHealthy(Duration.ofMinutes(4));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        System.out.printf("Server up in %.1f s (pid %d)%n", (System.nanoTime() - start) / 1e9, process.pid());
    }

    /** {@code NAME=VALUE,NAME=VALUE} (the --server-env option) as a map; null or blank → empty. */
    static Map<String, String> parseEnv(String spec) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return env;
        }
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--server-env takes NAME=VALUE pairs separated by commas, not "
                        + pair);
            }
            env.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return env;
    }

    String baseUrl() {
        return baseUrl;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Http http() {
        return http;
    }

    private void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI health = URI.create(baseUrl + "/actuator/health");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with code " + process.exitValue()
                        + " before it was healthy; last lines of " + log + ":\n" + logTail(40));
            }
            try {
                Http.Response response = http.send("GET", health, null, null, Duration.ofSeconds(5));
                if (response.status() == 200 && "UP".equals(response.json().path("status").asText())) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // connection refused while it starts
            }
            sleep(500);
        }
        throw new IllegalStateException("the server was not healthy within " + timeout.toSeconds() + " s; last lines "
                + "of " + log + ":\n" + logTail(40));
    }

    /** The platform admin's session ({@code POST /admin/login}). */
    Session adminLogin() {
        Map<String, String> body = Map.of("email", ADMIN_EMAIL, "password", adminPassword);
        return Session.login(http, baseUrl, "/admin/login", body, 200);
    }

    /** A new company and its admin's session ({@code POST /company/signup}). */
    Session signupCompany(String companyName) {
        String suffix = HexFormat.of().formatHex(randomBytes(4));
        Map<String, String> body = Map.of("companyName", companyName + " " + suffix,
                "email", "bench-" + suffix + "@company.example",
                "password", "Perf-" + HexFormat.of().formatHex(randomBytes(12)));
        return Session.login(http, baseUrl, "/company/signup", body, 201);
    }

    /** The servers' JVM options as reports show them. */
    static String jvm(String xmx) {
        return String.join(" ", jvmOptions(xmx));
    }

    /** The heap's options, then the image's (or {@code -Dengage.bench.jvm}'s). */
    private static List<String> jvmOptions(String xmx) {
        return Stream.concat(heapOptions(xmx).stream(), JVM_OPTIONS.stream()).toList();
    }

    /**
     * {@code -Xmx<xmx>}, or for {@code container:SIZE} the heap a container with that memory limit gives the image:
     * the JVM sizes its heap (initial and maximum) from {@code -XX:MaxRAM} as it would from the limit.
     */
    private static List<String> heapOptions(String xmx) {
        if (xmx.startsWith(CONTAINER)) {
            return List.of("-XX:MaxRAM=" + xmx.substring(CONTAINER.length()), IMAGE_JVM.getProperty("heap"));
        }
        return List.of("-Xmx" + xmx);
    }

    private static Properties imageJvm() {
        Properties properties = new Properties();
        try (var in = EngageServer.class.getResourceAsStream("server-jvm.properties")) {
            if (in == null) {
                throw new IllegalStateException("server-jvm.properties is missing: build the bench with Maven");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** Resident set size of the server process (VmRSS of /proc/PID/status), or -1 where /proc is missing. */
    long rssBytes() {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time the server process has used so far (utime + stime of /proc/PID/stat), or -1 where /proc is missing. */
    double cpuSeconds() {
        try {
            return cpuTicks(Path.of("/proc", Long.toString(process.pid()), "stat")) / USER_HZ;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static final double USER_HZ = 100.0; // on Linux

    /**
     * CPU time used so far by every process of this machine whose command is {@code command} (PostgreSQL's backends
     * and background workers, Redis), or -1 where /proc is missing. A process that has exited takes its time with it
     * (a PostgreSQL backend whose connection closed), so across a window this is a lower bound.
     */
    static double cpuSecondsOf(String command) {
        return cpuSecondsOfTasks(Path.of("/proc"), command::equals);
    }

    /**
     * CPU time of the processes or threads listed in {@code directory} (/proc, or /proc/PID/task) whose command
     * ({@code comm}) {@code named} accepts, or -1 where /proc is missing; one that has ended is no longer counted.
     */
    private static double cpuSecondsOfTasks(Path directory, Predicate<String> named) {
        try (var entries = Files.list(directory)) {
            long ticks = 0;
            for (Path task : entries.toList()) {
                if (!task.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (named.test(Files.readString(task.resolve("comm")).trim())) {
                        ticks += cpuTicks(task.resolve("stat"));
                    }
                } catch (IOException gone) {
                    // it ended between listing and reading
                }
            }
            return ticks / USER_HZ;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of a process's or thread's {@code stat} file, in clock ticks. */
    private static long cpuTicks(Path stat) throws IOException {
        String line = Files.readString(stat);
        // the fields after the command name, which is in parentheses and may contain spaces
        String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * CPU time the server's JIT compiler threads have used so far (C1 and C2, from /proc/PID/task), or -1 where /proc
     * is missing. A compiler thread that has exited takes its time with it (HotSpot starts and stops them with the
     * queue), so across a window this is a lower bound.
     */
    double compilerCpuSeconds() {
        return cpuSecondsOfTasks(Path.of("/proc", Long.toString(process.pid()), "task"),
                name -> name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre"));
    }

    private static final Pattern HEAP_USED = Pattern.compile(
            "^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*}\\s+(\\S+)", Pattern.MULTILINE);

    /** JVM heap in use: the sum of jvm_memory_used_bytes{area="heap"} from /actuator/prometheus; -1 if absent. */
    long heapUsedBytes() {
        Http.Response response = http.send("GET", URI.create(baseUrl + "/actuator/prometheus"), null, null,
                Duration.ofSeconds(30), "text/plain");
        if (response.status() != 200) {
            return -1;
        }
        Matcher matcher = HEAP_USED.matcher(response.body());
        double sum = 0;
        boolean found = false;
        while (matcher.find()) {
            sum += Double.parseDouble(matcher.group(1));
            found = true;
        }
        return found ? (long) sum : -1;
    }

    private static final Pattern LIVE_DATA = Pattern.compile("^jvm_gc_live_data_size_bytes(?:\\{[^}]*})?\\s+(\\S+)",
            Pattern.MULTILINE);

    /** Old-generation data still live after the last full collection (jvm_gc_live_data_size_bytes); -1 if absent. */
    long liveDataBytes() {
        Http.Response response = http.send("GET", URI.create(baseUrl + "/actuator/prometheus"), null, null,
                Duration.ofSeconds(30), "text/plain");
        Matcher matcher = LIVE_DATA.matcher(response.status() == 200 ? response.body() : "");
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : -1;
    }

    private static final Pattern LOG_LEVEL = Pattern.compile("\\s(WARN|ERROR)\\s");

    /** The log's path with its count of WARN and ERROR lines and the first ERROR line, for a run's report. */
    String logSummary() {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            long warn = 0;
            long error = 0;
            String firstError = null;
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher matcher = LOG_LEVEL.matcher(line);
                if (matcher.find()) {
                    if (matcher.group(1).equals("WARN")) {
                        warn++;
                    } else {
                        error++;
                        firstError = firstError == null ? line : firstError;
                    }
                }
            }
            return log + ": " + warn + " WARN, " + error + " ERROR lines"
                    + (firstError == null ? "" : "; first ERROR: " + Http.abbreviate(firstError, 300));
        } catch (IOException | UncheckedIOException e) {
            return log + " (unreadable: " + e + ")";
        }
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /**
     * Stops the server (SIGTERM, then SIGKILL after 60 s), drops the database it created and deletes the data
     * directory.
     */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to
        }
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (database != null && ownsDatabase) {
            database.drop();
        }
        deleteRecursively(dataDir);
        System.out.println("Server stopped (log kept at " + log + ")");
    }

    static String formatBytes(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.0f MiB", bytes / 1048576.0);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /**
     * A database on a local PostgreSQL server: a fresh one per run, dropped after it ({@link #create}), or a named one
     * that a program makes and keeps over several server starts ({@link #recreate}, {@link #named}).
     */
    static final class PostgresDatabase {
        private static final Pattern URL = Pattern.compile("^jdbc:postgresql://([^/?]+)/([^?]*)(\\?.*)?$");

        final String adminUrl;
        final String serverUrl;
        final String name;
        final String user;
        final String password;
        private boolean dropped;

        private PostgresDatabase(String adminUrl, String serverUrl, String name, String user, String password) {
            this.adminUrl = adminUrl;
            this.serverUrl = serverUrl;
            this.name = name;
            this.user = user;
            this.password = password;
        }

        static PostgresDatabase create(String url) {
            PostgresDatabase database = named(url, "engage_bench_" + HexFormat.of().formatHex(randomBytes(6)));
            database.execute("CREATE DATABASE " + database.name);
            return database;
        }

        /** The database {@code name} on that server, made anew (dropped first if it exists). */
        static PostgresDatabase recreate(String url, String name) {
            PostgresDatabase database = named(url, name);
            database.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            database.execute("CREATE DATABASE " + name);
            return database;
        }

        /** The existing database {@code name} on that server (nothing is created). */
        static PostgresDatabase named(String url, String name) {
            if (!name.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("not a plain database name: " + name);
            }
            Matcher matcher = URL.matcher(url);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("--postgres must look like jdbc:postgresql://127.0.0.1:5432/postgres,"
                        + " not " + url);
            }
            String hostPort = matcher.group(1);
            String host = hostPort.startsWith("[") ? hostPort.substring(0, hostPort.indexOf(']') + 1)
                    : hostPort.split(":")[0];
            if (!(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"))) {
                throw new IllegalArgumentException("--postgres must point at this machine (127.0.0.1), not " + host);
            }
            String adminDb = matcher.group(2).isEmpty() ? "postgres" : matcher.group(2);
            String params = matcher.group(3) == null ? "" : matcher.group(3);
            String user = System.getenv().getOrDefault("PGUSER", "postgres");
            String password = System.getenv("PGPASSWORD");
            return new PostgresDatabase("jdbc:postgresql://" + hostPort + "/" + adminDb + params,
                    "jdbc:postgresql://" + hostPort + "/" + name + params, name, user, password);
        }

        /** A connection to this database itself (the harness's own SQL). */
        Connection connect() throws SQLException {
            return DriverManager.getConnection(serverUrl, properties());
        }

        synchronized void drop() {
            if (dropped) {
                return;
            }
            dropped = true;
            try {
                execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                System.out.println("Dropped database " + name);
            } catch (RuntimeException e) {
                System.err.println("could not drop database " + name + ": " + e.getMessage());
            }
        }

        private Properties properties() {
            Properties properties = new Properties();
            properties.setProperty("user", user);
            if (password != null) {
                properties.setProperty("password", password);
            }
            return properties;
        }

        private void execute(String sql) {
            try (Connection connection = DriverManager.getConnection(adminUrl, properties());
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + " failed on " + adminUrl + ": " + e.getMessage(), e);
            }
        }
    }
}
