package io.engage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Soak: a fixed load of concurrent conversations on the AI Agent API for many minutes, sampled every slice (default
 * one minute): answers/s, latency percentiles, errors, the server's RSS, heap in use, and the live data left after
 * the last full collection. Stable memory means the last slices' live data and RSS are not still climbing; every
 * slice must be error-free. Each conversation is one end-user asking one question per period in a loop (memory in
 * Redis, when configured, grows to its turn limit and stays there), so every question is new to the server.
 */
public final class SoakBench {

    static final String USAGE = """
            Usage: SoakBench [--minutes 10] [--slice-seconds 60] [--concurrency 100] [--rate 100] [--warmup-seconds 60]
                             [--knowledge bench/data/sample] [--postgres JDBC_URL] [--jar PATH] [--xmx 1g]
                             [--server-env NAME=VALUE,...]

              --minutes N         length of the measured soak
              --slice-seconds N   one sample row per slice
              --concurrency N     conversations at once (client threads, one end-user each)
              --rate R            questions/s offered in total (each conversation asks every N/R seconds)
              --warmup-seconds S  load before measuring (JIT), not in the figures
              --xmx SIZE          server heap: a soak wants a realistic one, not the 4g of the throughput benches
            """;

    private SoakBench() {
    }

    public static void main(String[] argv) {
        Args.runMain("SoakBench", () -> run(argv));
    }

    /** One slice of the soak. */
    record Sample(int slice, double minutes, AgentBench.LoadResult load, long rssBytes, long heapUsedBytes,
            long liveDataBytes) {
    }

    static int run(String[] argv) {
        Args args = Args.parse(argv, Set.of("minutes", "slice-seconds", "concurrency", "rate", "warmup-seconds",
                "knowledge", "postgres", "jar", "xmx", "server-env", "seed"), Set.of(), USAGE);
        int minutes = args.getInt("minutes", 10);
        int sliceSeconds = args.getInt("slice-seconds", 60);
        int concurrency = args.getInt("concurrency", 100);
        int rate = args.getInt("rate", 100);
        int warmupSeconds = args.getInt("warmup-seconds", 60);
        if (minutes < 1 || sliceSeconds < 5 || concurrency < 1 || rate < 1 || warmupSeconds < 0) {
            throw new IllegalArgumentException("invalid option\n\n" + USAGE);
        }
        BeirDataset knowledge = BeirDataset.load(args.get("knowledge") != null ? Path.of(args.get("knowledge"))
                : Path.of("bench/data/sample"));
        AgentBench.Questions questions = new AgentBench.Questions(knowledge.corpus.values(), args.getInt("seed", 1));
        AtomicLong nextQuestion = new AtomicLong();
        AgentBench.QuestionSource fresh = (thread, n) -> questions.get(nextQuestion.getAndIncrement());
        String xmx = args.get("xmx", "1g");
        PerfBench.Report report = new PerfBench.Report("SoakBench");
        report.put("server", EngageServer.jvm(xmx) + ", " + (args.get("postgres") == null ? "H2" : "PostgreSQL")
                + (args.get("server-env") == null ? "" : ", " + args.get("server-env")));
        report.put("load", concurrency + " concurrent conversations, " + rate + " questions/s offered, "
                + minutes + " min measured after " + warmupSeconds + " s of warm-up");
        List<Sample> samples = new ArrayList<>();
        try (EngageServer server = EngageServer.start(EngageServer.findJar(args.get("jar")), args.get("postgres"),
                xmx, EngageServer.parseEnv(args.get("server-env")))) {
            Session company = server.signupCompany("SoakBench");
            AgentBench.Agent agent = AgentBench.Agent.create(company, "Soak", Map.of(), knowledge);
            AgentBench.AgentApi api = new AgentBench.AgentApi(server.http(), server.baseUrl());
            long period = Duration.ofSeconds(concurrency).toNanos() / rate;
            if (warmupSeconds > 0) {
                report.put("warm-up", AgentBench.runLoad(server, api, new AgentBench.Load("soak", List.of(agent),
                        concurrency, Duration.ofSeconds(warmupSeconds), Long.MAX_VALUE, period, fresh)).summary());
            }
            report.memory("after warm-up", server);
            long begin = System.nanoTime();
            int slices = Math.max(1, minutes * 60 / sliceSeconds);
            for (int slice = 1; slice <= slices; slice++) {
                // the same scenario name every slice: the same end-users keep their conversations going
                AgentBench.LoadResult load = AgentBench.runLoad(server, api, new AgentBench.Load("soak",
                        List.of(agent), concurrency, Duration.ofSeconds(sliceSeconds), Long.MAX_VALUE, period,
                        fresh));
                Sample sample = new Sample(slice, (System.nanoTime() - begin) / 60e9, load, server.rssBytes(),
                        server.heapUsedBytes(), server.liveDataBytes());
                samples.add(sample);
                System.out.println(row(sample));
            }
            report.put("server log", server.logSummary());
        }
        report.print();
        printSamples(samples);
        printVerdict(samples);
        return 0;
    }

    private static String row(Sample s) {
        return String.format(Locale.ROOT, "| %d | %.1f | %.0f | %.1f | %.1f | %.1f | %d | %s | %s | %s |", s.slice(),
                s.minutes(), s.load().perSecond(), s.load().percentile(50), s.load().percentile(95),
                s.load().percentile(99), s.load().errorCount(), EngageServer.formatBytes(s.rssBytes()),
                EngageServer.formatBytes(s.heapUsedBytes()), EngageServer.formatBytes(s.liveDataBytes()));
    }

    private static void printSamples(List<Sample> samples) {
        StringBuilder md = new StringBuilder("\n| slice | minute | answers/s | p50 ms | p95 ms | p99 ms | errors | RSS "
                + "| heap used | live data after GC |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        samples.forEach(s -> md.append(row(s)).append('\n'));
        System.out.print(md);
    }

    /** Zero errors, and memory that is flat over the second half (not climbing slice after slice). */
    private static void printVerdict(List<Sample> samples) {
        Map<Integer, Long> errors = new TreeMap<>();
        long answers = 0;
        for (Sample s : samples) {
            s.load().errors().forEach((status, count) -> errors.merge(status, count, Long::sum));
            answers += s.load().ok();
        }
        List<Sample> secondHalf = samples.subList(samples.size() / 2, samples.size());
        long rssFirst = secondHalf.get(0).rssBytes();
        long rssLast = samples.get(samples.size() - 1).rssBytes();
        long liveMin = secondHalf.stream().mapToLong(Sample::liveDataBytes).min().orElse(-1);
        long liveMax = secondHalf.stream().mapToLong(Sample::liveDataBytes).max().orElse(-1);
        System.out.printf(Locale.ROOT, "%n%d answers, errors: %s; RSS over the second half %s → %s (%+.1f%%); live "
                + "data after GC over the second half %s … %s%n", answers, errors.isEmpty() ? "none" : errors,
                EngageServer.formatBytes(rssFirst), EngageServer.formatBytes(rssLast),
                100.0 * (rssLast - rssFirst) / rssFirst, EngageServer.formatBytes(liveMin),
                EngageServer.formatBytes(liveMax));
    }
}
