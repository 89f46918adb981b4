package io.engage.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of the test's own: three masters (the machine's redis-server, on free ports), their 16,384 slots
 * assigned by {@code redis-cli --cluster create}, no replicas.
 */
public final class RedisClusterProcess implements AutoCloseable {

    private static final int NODES = 3;

    private final Path dir;
    private final List<Integer> ports = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    public RedisClusterProcess() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("engage-redis-cluster-");
        try {
            for (int i = 0; i < NODES; i++) {
                int port;
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
                ports.add(port);
                processes.add(new ProcessBuilder(List.of("/usr/bin/redis-server", "--port", Integer.toString(port),
                        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                        "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                        "--cluster-node-timeout", "5000"))
                        .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
                        .start());
            }
            for (int port : ports) {
                awaitReply(port, List.of("ping"), "PONG");
            }
            List<String> create = new ArrayList<>(List.of("/usr/bin/redis-cli", "--cluster", "create"));
            ports.forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            String created = run(create);
            if (!created.contains("All 16384 slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + created);
            }
            for (int port : ports) {
                awaitReply(port, List.of("cluster", "info"), "cluster_state:ok");
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/redis-server")) && Files.isExecutable(Path.of("/usr/bin/redis-cli"));
    }

    /** The nodes' URLs, comma separated (any one of them is enough for a client to find the rest). */
    public String urls() {
        return String.join(",", ports.stream().map(port -> "redis://127.0.0.1:" + port).toList());
    }

    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    /** The keys matching {@code pattern} held by the node on {@code port}. */
    public List<String> keysOn(int port, String pattern) throws IOException, InterruptedException {
        String out = run(List.of("/usr/bin/redis-cli", "-p", Integer.toString(port), "--scan", "--pattern", pattern));
        return out.lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
    }

    private void awaitReply(int port, List<String> command, String expected) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            List<String> full = new ArrayList<>(List.of("/usr/bin/redis-cli", "-p", Integer.toString(port)));
            full.addAll(command);
            last = run(full);
            if (last.contains(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("redis node " + port + " did not answer " + expected + ": " + last);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
