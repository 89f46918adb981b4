package io.engage.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own (the machine's binaries: initdb and pg_ctl of the Debian package, a fresh
 * cluster in a temporary directory, a free port), so that a test can stop and restart the database without touching
 * the shared one. PostgreSQL refuses to run as root: as root, the cluster belongs to the {@code postgres} user and the
 * binaries run through {@code runuser}.
 */
public final class PostgresProcess implements AutoCloseable {

    private static final Path VERSIONS = Path.of("/usr/lib/postgresql");

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;
    private boolean running;

    public PostgresProcess() throws IOException {
        this(null);
    }

    /** A fresh cluster, or with {@code primary} a streaming replica (hot standby) of that server. */
    private PostgresProcess(PostgresProcess primary) throws IOException {
        bin = binaries().orElseThrow(() -> new IllegalStateException("PostgreSQL binaries not found"));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        asPostgresUser = "root".equals(System.getProperty("user.name"));
        dir = Files.createTempDirectory("engage-pg-");
        data = dir.resolve("data");
        if (asPostgresUser) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
            view.setOwner(users.lookupPrincipalByName("postgres"));
            GroupPrincipal group = users.lookupPrincipalByGroupName("postgres");
            view.setGroup(group);
        }
        if (primary == null) {
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C", "--no-sync"));
        } else {
            // -R: standby.signal and primary_conninfo, so the copy starts as a replica streaming from the primary;
            // -c fast: checkpoint now instead of waiting for the next scheduled one (up to 5 minutes)
            run(List.of(bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p",
                    Integer.toString(primary.port), "-U", "postgres", "-D", data.toString(), "-R", "-X", "stream", "-c", "fast",
                    "--no-sync"));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        start();
    }

    /** True when initdb and pg_ctl are installed (and, as root, the postgres user and runuser exist). */
    public static boolean available() {
        if (binaries().isEmpty()) {
            return false;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return true;
        }
        try {
            Path runuser = Path.of("/usr/sbin/runuser");
            return Files.isExecutable(runuser) && Files.readAllLines(Path.of("/etc/passwd")).stream()
                    .anyMatch(line -> line.startsWith("postgres:"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The bin directory of the newest installed version. */
    private static Optional<Path> binaries() {
        if (!Files.isDirectory(VERSIONS)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(VERSIONS)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> versionNumber(b.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionNumber(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * A streaming replica of this server on a port of its own: read-only, replaying every write of this one (initdb's
     * trust authentication admits the replication connection from loopback).
     */
    public PostgresProcess standby() throws IOException {
        return new PostgresProcess(this);
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates a database (owned by the postgres user, who connects without a password). */
    public void createDatabase(String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
    }

    /** Starts the server and waits until it accepts connections. */
    public synchronized void start() {
        // fsync off: a test cluster, and its restarts are clean (fast shutdown writes a checkpoint)
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off "
                        + "-c full_page_writes=off -c max_connections=50", "start"));
        running = true;
    }

    /** Stops the server in fast mode: open transactions are rolled back and every connection is cut at once. */
    public synchronized void stop() {
        if (running) {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"));
            running = false;
        }
    }

    @Override
    public synchronized void close() {
        try {
            stop();
        } catch (RuntimeException e) {
            System.err.println("Could not stop the test's PostgreSQL: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left behind at worst
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("/usr/sbin/runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("commands.log").toFile())).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Failed (exit " + process.exitValue() + "): " + String.join(" ", command)
                        + "\n" + Files.readString(dir.resolve("commands.log")));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
