package io.engage.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Issue 9's benches side by side in one run: AgentBench, PerfBench and FleetBench one after the other, each in a
 * child JVM of its own (a fresh heap and JIT, and its own throw-away server, as when run alone), then one table
 * target | measured | met, with the machine's load average around each bench, the git commit and the processor.
 * The benches hand their figures over in {@code --results} files ({@link Figures}), not by their printed text.
 */
public final class AllBench {

    static final String USAGE = """
            Usage: AllBench [--quick] [--benches AgentBench,PerfBench,FleetBench] [--postgres JDBC_URL]
                            [--server-env NAME=VALUE,...] [--jar PATH] [--out bench/target]

              --quick           tiny sizes, to check the harness in a few minutes (the figures mean nothing)
              --benches LIST    which benches to run (comma-separated; always in the order above)
              --postgres URL    passed to every bench: each makes its own database on that server and drops it
              --server-env A=1  passed to every bench, e.g. SPRING_DATA_REDIS_URL=redis://127.0.0.1:6379/14
              --jar PATH        the server jar (default server/target/engage.jar), passed to every bench
              --out DIR         where all-bench-<UTC time>.md (the table), .log (all output) and the benches'
                                figure files go

            Run it with plain `java -cp …` (not exec:java): the benches are started with this JVM's class path.
            """;

    /** A bench program and its own options: at the sizes, and in --quick mode. */
    private record Bench(String name, List<String> full, List<String> quick) {
    }

    private static final List<Bench> BENCHES = List.of(
            // sse is issue 4's target, not issue 9's
            new Bench("AgentBench", List.of("--scenarios", "distinct,repeated,overhead"),
                    List.of("--scenarios", "distinct,repeated,overhead", "--seconds", "5", "--warmup", "300",
                            "--warmup-seconds", "0", "--settle-seconds", "0")),
            // bulk ingestion as issue 3 measured it: ~7,000-character documents of ~11 chunks through the queue
            // (one-chunk documents measure the request overhead instead, ~60 chunks/s)
            // 15,000 warm-up searches: after only 2,000 the JIT is still compiling the search path (p99 2-4x higher)
            new Bench("PerfBench", List.of("--chunks", "100000", "--ingest", "async", "--doc-chars", "7000",
                    "--warmup", "15000"),
                    List.of("--chunks", "2000", "--queries", "200", "--warmup", "200")),
            new Bench("FleetBench", List.of("--agents", "100"), List.of("--agents", "5", "--starts", "1")));

    private enum Bound { AT_LEAST, BELOW }

    /**
     * One of issue 9's targets: the figure {@code figure} of {@code bench} against {@code limit}. Met only when the
     * figure {@code failures} (errors, failed documents…; null if none applies) is 0. {@code scale} names the figure
     * that says at what size it was measured (shown next to the value: quick runs are far below the sizes).
     */
    private record Target(String label, String bench, String figure, Bound bound, double limit, String unit,
            String failures, String scale) {
    }

    private static final List<Target> TARGETS = List.of(
            new Target("`/agent/query` distinct questions", "AgentBench", "distinct.answers_per_s", Bound.AT_LEAST,
                    AgentBench.DISTINCT_TARGET_PER_S, "q/s", "distinct.errors", "distinct.conversations"),
            new Target("`/agent/query` repeated questions", "AgentBench", "repeated.answers_per_s", Bound.AT_LEAST,
                    AgentBench.REPEATED_TARGET_PER_S, "q/s", "repeated.errors", "repeated.conversations"),
            new Target("`/agent/query` p99 overhead at 100 concurrent conversations", "AgentBench",
                    "overhead.p99_ms", Bound.BELOW, AgentBench.OVERHEAD_P99_TARGET_MS, "ms", "overhead.errors",
                    "overhead.conversations"),
            new Target("ingestion", "PerfBench", "ingest.chunks_per_s", Bound.AT_LEAST, 200, "chunks/s",
                    "ingest.failed_documents", "ingest.chunks"),
            new Target("retrieval p99 at 100k chunks per agent", "PerfBench", "search.p99_ms", Bound.BELOW, 10, "ms",
                    null, "ingest.chunks"),
            new Target("RSS with 100 agents warm (600 MB)", "FleetBench", "fleet.rss_warm_mib", Bound.BELOW,
                    FleetBench.RSS_TARGET_BYTES / (1024.0 * 1024), "MiB", "fleet.failed_questions", "fleet.agents"),
            new Target("start-up of the jar to ready, median", "FleetBench", "startup.median_s", Bound.BELOW,
                    FleetBench.STARTUP_TARGET_SECONDS, "s", null, "startup.launches"),
            new Target("start-up to ready, extracted jar with a CDS archive, median", "FleetBench",
                    "startup_cds.median_s", Bound.BELOW, FleetBench.STARTUP_TARGET_SECONDS, "s", null,
                    "startup_cds.launches"));

    /** 1-minute load average under which the machine counts as settled before a bench. */
    private static final double SETTLED_LOAD = 0.5;

    /** A finished bench: its own options, exit code, wall time, load average around it, and its figures. */
    private record Run(Bench bench, List<String> options, int exitCode, double seconds, String loadBefore,
            String loadAfter, Map<String, Figures.Figure> figures) {
    }

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    private final PrintWriter log;

    private AllBench(PrintWriter log) {
        this.log = log;
    }

    public static void main(String[] argv) {
        Args.runMain("AllBench", () -> run(argv));
    }

    static int run(String[] argv) {
        Args args = Args.parse(argv, Set.of("benches", "postgres", "server-env", "jar", "out"), Set.of("quick"),
                USAGE);
        boolean quick = args.flag("quick");
        List<String> chosen = List.of(args.get("benches", "AgentBench,PerfBench,FleetBench").split(","));
        List<Bench> benches = BENCHES.stream().filter(b -> chosen.contains(b.name())).toList();
        if (benches.size() != chosen.size()) {
            throw new IllegalArgumentException("unknown bench in --benches " + chosen + "\n\n" + USAGE);
        }
        Path jar = EngageServer.findJar(args.get("jar")); // fails now rather than in the first bench
        List<String> passedOn = new ArrayList<>(List.of("--jar", jar.toString()));
        for (String option : List.of("postgres", "server-env")) {
            if (args.get(option) != null) {
                passedOn.addAll(List.of("--" + option, args.get(option)));
            }
        }
        Instant started = Instant.now();
        Path out = Path.of(args.get("out", "bench/target"));
        String stem = "all-bench-" + FILE_TIME.format(started);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(out.resolve(stem + ".log"),
                StandardCharsets.UTF_8), true)) {
            AllBench all = new AllBench(log);
            List<Run> runs = new ArrayList<>();
            all.say("Processor: " + processor());
            for (Bench bench : benches) {
                runs.add(all.runBench(bench, quick ? bench.quick() : bench.full(), passedOn,
                        out.resolve(stem + "-" + bench.name() + ".tsv")));
            }
            String table = summary(started, quick, jar, args, runs);
            all.say(table);
            Path tableFile = out.resolve(stem + ".md");
            Files.writeString(tableFile, table, StandardCharsets.UTF_8);
            all.say("Table written to " + tableFile + ", all output to " + out.resolve(stem + ".log"));
            return runs.stream().allMatch(r -> r.exitCode() == 0) ? 0 : 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs one bench in a child JVM, its output going to the console and the log as it comes. */
    private Run runBench(Bench bench, List<String> options, List<String> passedOn, Path results) {
        List<String> command = new ArrayList<>(List.of(EngageServer.javaCommand(), "-cp",
                System.getProperty("java.class.path"), "io.engage.bench." + bench.name()));
        command.addAll(options);
        command.addAll(passedOn);
        command.addAll(List.of("--results", results.toAbsolutePath().toString()));
        settle();
        String loadBefore = loadAverage();
        say("\n=== " + bench.name() + " " + String.join(" ", options) + " (load average " + loadBefore + ") ===");
        long start = System.nanoTime();
        int exitCode;
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            // killed or Ctrl-C: stop the bench gently, so that its own shutdown hook stops its server
            Thread stopBench = new Thread(() -> {
                process.destroy();
                try {
                    process.waitFor(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "all-bench-stop-" + bench.name());
            Runtime.getRuntime().addShutdownHook(stopBench);
            try (BufferedReader output = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line; (line = output.readLine()) != null; ) {
                    say(line);
                }
            }
            exitCode = process.waitFor();
            Runtime.getRuntime().removeShutdownHook(stopBench);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + bench.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String loadAfter = loadAverage();
        say(String.format(Locale.ROOT, "=== %s: exit code %d after %.0f s (load average %s) ===", bench.name(),
                exitCode, seconds, loadAfter));
        return new Run(bench, options, exitCode, seconds, loadBefore, loadAfter, Figures.read(results));
    }

    private void say(String line) {
        System.out.println(line);
        log.println(line);
    }

    // ---- the table ----

    private static String summary(Instant started, boolean quick, Path jar, Args args, List<Run> runs)
            throws IOException {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "%n## Issue 9 targets — %s UTC, commit %s%s%n%n", SHOWN_TIME.format(started), gitCommit(),
                quick ? ", quick mode" : ""));
        md.append(String.format(Locale.ROOT, "Jar `%s` (built %s UTC); %s; %s; %d cores, %s.%n",
                jar, SHOWN_TIME.format(Files.getLastModifiedTime(jar).toInstant()),
                args.get("postgres") == null ? "H2" : "PostgreSQL " + args.get("postgres"),
                args.get("server-env") == null ? "no extra server environment"
                        : "server environment `" + args.get("server-env") + "`",
                Runtime.getRuntime().availableProcessors(), processor()));
        if (quick) {
            md.append("\n**Quick mode**: sizes far below the issue's (see the options below); ✓ and ✗ check the"
                    + " harness, not the targets.\n");
        }
        md.append("\n| target | measured | met |\n|---|---|---|\n");
        for (Target target : TARGETS) {
            runs.stream().filter(r -> r.bench().name().equals(target.bench())).findFirst()
                    .ifPresent(run -> md.append(row(target, run)));
        }
        md.append("\n| bench | options | exit code | wall time | load average before (1 / 5 / 15 min) | after |\n"
                + "|---|---|---|---|---|---|\n");
        for (Run run : runs) {
            md.append(String.format(Locale.ROOT, "| %s | `%s` | %d | %.1f min | %s | %s |%n", run.bench().name(),
                    String.join(" ", run.options()), run.exitCode(), run.seconds() / 60, run.loadBefore(),
                    run.loadAfter()));
        }
        return md.toString();
    }

    private static String row(Target target, Run run) {
        String label = target.label() + (target.bound() == Bound.AT_LEAST ? " ≥ " : " < ") + number(target.limit())
                + " " + target.unit();
        Figures.Figure value = run.figures().get(target.figure());
        if (value == null) {
            return "| " + label + " | no figure (" + target.bench() + " exit code " + run.exitCode() + ") | ✗ |\n";
        }
        StringBuilder measured = new StringBuilder(number(value.value()) + " " + value.unit());
        List<String> notes = new ArrayList<>();
        Figures.Figure scale = target.scale() == null ? null : run.figures().get(target.scale());
        if (scale != null) {
            notes.add(number(scale.value()) + " " + scale.unit());
        }
        // a throughput window in which the compilers were still busy is not the server's steady state
        Figures.Figure jit = run.figures().get(target.figure().substring(0, target.figure().indexOf('.'))
                + ".jit_percent");
        if (jit != null) {
            notes.add("JIT compilers " + number(jit.value()) + " % of the server's CPU");
        }
        if (!notes.isEmpty()) {
            measured.append(" (").append(String.join("; ", notes)).append(")");
        }
        boolean clean = true;
        if (target.failures() != null) {
            Figures.Figure failures = run.figures().get(target.failures());
            clean = failures != null && failures.value() == 0;
            if (!clean) {
                measured.append(", ").append(failures == null ? "failures unknown"
                        : number(failures.value()) + " " + failures.unit());
            }
        }
        boolean within = target.bound() == Bound.AT_LEAST ? value.value() >= target.limit()
                : value.value() < target.limit(); // NaN (nothing measured) is neither
        return "| " + label + " | " + measured + " | " + (within && clean ? "✓" : "✗") + " |\n";
    }

    /** Whole numbers and large ones without decimals (with thousands separators), others with one. */
    private static String number(double value) {
        return String.format(Locale.ROOT, value == Math.rint(value) || Math.abs(value) >= 100 ? "%,.0f" : "%.1f",
                value);
    }

    /**
     * Waits (at most three minutes) until the 1-minute load average is below 0.5, so that a bench does not start
     * while the previous one's server, or PostgreSQL checkpointing after a bulk load, still uses the cores.
     */
    private void settle() {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        double load = oneMinuteLoad();
        if (load >= SETTLED_LOAD) {
            say(String.format(Locale.ROOT, "(waiting for the machine to settle: 1-minute load average %.2f)", load));
        }
        while ((load = oneMinuteLoad()) >= SETTLED_LOAD && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (load >= SETTLED_LOAD) {
            say(String.format(Locale.ROOT, "(the machine did not settle: 1-minute load average still %.2f)", load));
        }
    }

    /** 1-minute load average; 0 when it cannot be read (nothing to wait for then). */
    private static double oneMinuteLoad() {
        String[] fields = loadAverageFields();
        try {
            return fields == null ? 0 : Double.parseDouble(fields[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** 1, 5 and 15-minute load average of the machine. */
    private static String loadAverage() {
        String[] fields = loadAverageFields();
        return fields == null ? "unknown" : String.join(" / ", Arrays.copyOf(fields, 3));
    }

    /** The fields of /proc/loadavg, or null when it cannot be read. */
    private static String[] loadAverageFields() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        } catch (IOException e) {
            return null;
        }
    }

    /** Vector extensions that decide how fast ONNX Runtime's int8 kernels (the embeddings) run. */
    private static final List<String> VECTOR_FLAGS = List.of("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8");

    /**
     * The processor model and its vector extensions: the same VM has come up on different host processors, and the
     * embedding-bound figures (distinct questions, ingestion) halve without AVX-512 VNNI, so every run names its own.
     */
    private static String processor() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = field(lines, "model name");
            String flags = field(lines, "flags");
            List<String> present = flags == null ? List.of()
                    : VECTOR_FLAGS.stream().filter(List.of(flags.split("\\s+"))::contains).toList();
            return (model == null ? "unknown processor" : model) + " ("
                    + (present.isEmpty() ? "no AVX2 or later" : String.join(" ", present)) + ")";
        } catch (IOException e) {
            return "unknown processor";
        }
    }

    /** The value of the first "name : value" line of /proc/cpuinfo with that name. */
    private static String field(List<String> lines, String name) {
        return lines.stream().filter(line -> line.startsWith(name))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse(null);
    }

    /** HEAD's short hash, marked when tracked files have uncommitted changes. */
    private static String gitCommit() {
        String head = git("rev-parse", "--short=12", "HEAD");
        if (head == null || head.isEmpty()) {
            return "unknown";
        }
        String changes = git("status", "--porcelain", "--untracked-files=no");
        return "`" + head + "`" + (changes == null || changes.isEmpty() ? "" : " with uncommitted changes");
    }

    /** git's output, or null when git is missing or fails. */
    private static String git(String... arguments) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
