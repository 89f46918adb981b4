package io.engage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingestion throughput, search latency and memory of one agent holding many chunks: starts a fresh server, fills an
 * agent with synthetic English-like documents (~600 characters, about one chunk each) until it holds the requested
 * number of chunks, then measures searches over HTTP.
 */
public final class PerfBench {

    static final String USAGE = """
            Usage: PerfBench [--chunks 100000] [--queries 2000] [--warmup 2000] [--concurrency 1] [--ingest index|async]
                             [--ingest-threads 2] [--k 10] [--mode hybrid|keyword|vector] [--doc-chars 600]
                             [--seed 1] [--postgres JDBC_URL] [--jar PATH] [--xmx 4g]
                             [--server-env NAME=VALUE,...] [--results FILE] [--latencies FILE]

              --chunks N          chunks the agent should hold (documents are added until it does)
              --queries N         distinct measured searches (after a separate warm-up)
              --warmup N          distinct searches before measuring (the JIT needs a minute or more of load)
              --concurrency N     client threads sending the measured searches
              --ingest index      POST /rag/agents/{id}/index, synchronous, --ingest-threads at a time (default)
              --ingest async      POST /company/agents/{id}/knowledge (--ingest-threads at a time), background
                                  ingestion, poll until ready
              --server-env A=1    more environment for the server, comma-separated
                                  (e.g. ENGAGE_EMBEDDING_MODEL=all-minilm-l6-v2, ENGAGE_KNOWLEDGE_WORKERS=2)
              --results FILE      also write the figures as "name TAB value TAB unit" lines (for AllBench)
              --latencies FILE    also write each measured search as "start (epoch ms) TAB latency ms TAB words",
                                  to line the tail up with a GC log (-Xlog:gc:file=...:time)
            """;

    /* searches before measuring; on 2 cores C2 keeps compiling the hot path for a minute or more of load */
    static final int WARMUP_QUERIES = 2_000;

    private PerfBench() {
    }

    public static void main(String[] argv) {
        Args.runMain("PerfBench", () -> run(argv));
    }

    static int run(String[] argv) {
        Args args = Args.parse(argv, Set.of("chunks", "queries", "warmup", "concurrency", "ingest", "ingest-threads", "k",
                "mode", "doc-chars", "seed", "postgres", "jar", "xmx", "server-env", "results", "latencies"), Set.of(), USAGE);
        int targetChunks = args.getInt("chunks", 100_000);
        int queryCount = args.getInt("queries", 2000);
        int warmupQueries = args.getInt("warmup", WARMUP_QUERIES);
        int concurrency = args.getInt("concurrency", 1);
        int ingestThreads = args.getInt("ingest-threads", 2);
        int k = args.getInt("k", 10);
        int docChars = args.getInt("doc-chars", 600);
        long seed = args.getInt("seed", 1);
        String mode = args.get("mode", "hybrid");
        String ingest = args.get("ingest", "index");
        if (!Set.of("index", "async").contains(ingest) || !Set.of("hybrid", "keyword", "vector").contains(mode)
                || targetChunks < 1 || queryCount < 1 || concurrency < 1 || ingestThreads < 1 || k < 1 || k > 50) {
            throw new IllegalArgumentException("invalid option\n\n" + USAGE);
        }
        SyntheticText text = new SyntheticText();
        System.out.println("Vocabulary: " + text);

        Path jar = EngageServer.findJar(args.get("jar"));
        String xmx = args.get("xmx", "4g");
        Report report = new Report("PerfBench", args.get("results"));
        report.put("target chunks", Integer.toString(targetChunks));
        report.put("server", EngageServer.jvm(xmx) + ", "
                + (args.get("postgres") == null ? "H2" : "PostgreSQL")
                + (args.get("server-env") == null ? "" : ", " + args.get("server-env")));
        try (EngageServer server = EngageServer.start(jar, args.get("postgres"), xmx,
                EngageServer.parseEnv(args.get("server-env")))) {
            report.memory("before ingestion", server);
            Session company = server.signupCompany("Bench");
            String agentId = company.createAgent("PerfBench");

            Ingested ingested = ingest.equals("index")
                    ? ingestSync(company, agentId, text, seed, docChars, targetChunks, ingestThreads)
                    : ingestAsync(company, agentId, text, seed, docChars, targetChunks, ingestThreads);
            report.put("ingestion", ingested.how);
            report.put("documents", Integer.toString(ingested.documents));
            report.put("chunks", Long.toString(ingested.chunks) + (ingested.failed > 0 ? " (" + ingested.failed
                    + " documents FAILED)" : ""));
            report.put("ingestion wall time", String.format(Locale.ROOT, "%.1f s", ingested.seconds));
            report.put("ingestion throughput", String.format(Locale.ROOT, "%.1f chunks/s (%.1f documents/s)",
                    ingested.chunks / ingested.seconds, ingested.documents / ingested.seconds));
            report.figure("ingest.chunks", ingested.chunks, "chunks");
            report.figure("ingest.chunks_per_s", ingested.chunks / ingested.seconds, "chunks/s");
            report.figure("ingest.failed_documents", ingested.failed, "failed documents");
            report.memory("after ingestion", server);

            // the first search builds the agent's in-memory index from the database
            Random warmRandom = new Random(seed * 7919 + 17);
            long buildStart = System.nanoTime();
            List<Session.Hit> first = company.search(agentId, text.query(warmRandom), k, mode);
            double buildMs = (System.nanoTime() - buildStart) / 1e6;
            report.put("first search (builds the index)", String.format(Locale.ROOT, "%.0f ms (%d results)", buildMs,
                    first.size()));
            Set<String> measured = distinctQueries(text, new Random(seed * 104729 + 3), queryCount, Set.of());
            Set<String> warmup = distinctQueries(text, warmRandom, warmupQueries, measured);
            long warmStart = System.nanoTime();
            for (String query : warmup) {
                company.search(agentId, query, k, mode);
            }
            report.put("warm-up", String.format(Locale.ROOT, "%d searches, %.1f ms mean", warmup.size(),
                    (System.nanoTime() - warmStart) / 1e6 / warmup.size()));
            report.memory("index warm", server);

            double cpuBefore = server.cpuSeconds();
            double jitBefore = server.compilerCpuSeconds();
            measure(company, agentId, new ArrayList<>(measured), k, mode, concurrency, report, args.get("latencies"));
            double jit = server.compilerCpuSeconds() - jitBefore;
            if (jitBefore >= 0 && jit >= 0) {
                // a tail taken while the compilers are busy is partly the JIT's (see AgentBench)
                report.put("server CPU, measured searches", String.format(Locale.ROOT, "%.1f s, of which JIT "
                        + "compilers %.1f s", server.cpuSeconds() - cpuBefore, jit));
            }
            report.memory("after the measured searches", server);
        }
        report.print();
        return 0;
    }

    // ---- ingestion ----

    record Ingested(String how, int documents, long chunks, int failed, double seconds) {
    }

    static Session.Doc document(SyntheticText text, long seed, int docChars, int index) {
        Random random = new Random(seed * 1_000_003L + index);
        return new Session.Doc("perf-" + index, text.title(random), text.paragraph(random, docChars));
    }

    /** Synchronous indexing, {@code threads} requests at a time, until the agent holds {@code target} chunks. */
    static Ingested ingestSync(Session company, String agentId, SyntheticText text, long seed, int docChars,
            int target, int threads) {
        System.out.printf("Ingesting until %d chunks: POST /rag/agents/{id}/index, %d at a time%n", target, threads);
        AtomicLong chunks = new AtomicLong();
        AtomicInteger nextDoc = new AtomicInteger();
        AtomicInteger documents = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                while (chunks.get() < target) {
                    Session.Doc doc = document(text, seed, docChars, nextDoc.getAndIncrement());
                    try {
                        JsonNode indexed = company.index(agentId, doc);
                        chunks.addAndGet(indexed.path("chunkCount").asInt());
                    } catch (Http.ApiException e) {
                        if (e.status != 422) {
                            throw e;
                        }
                        if (failed.incrementAndGet() > 100) {
                            throw new IllegalStateException("more than 100 documents failed; last: " + e.getMessage());
                        }
                    }
                    documents.incrementAndGet();
                }
                return null;
            }));
        }
        pool.shutdown();
        long nextReport = start + Duration.ofSeconds(15).toNanos();
        for (Future<?> future : futures) {
            while (true) {
                try {
                    future.get(1, java.util.concurrent.TimeUnit.SECONDS);
                    break;
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    if (System.nanoTime() > nextReport) {
                        double seconds = (System.nanoTime() - start) / 1e9;
                        System.out.printf("  … %d chunks in %d documents, %.0f s, %.1f chunks/s%n", chunks.get(),
                                documents.get(), seconds, chunks.get() / seconds);
                        nextReport = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    pool.shutdownNow();
                    throw new IllegalStateException("ingestion failed: " + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    pool.shutdownNow();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Ingested("POST /rag/agents/{id}/index (synchronous), " + threads + " client threads",
                documents.get(), chunks.get(), failed.get(), seconds);
    }

    /**
     * Background ingestion: a few documents first to learn how many chunks a document makes, then the rest in one go,
     * topped up until the agent holds {@code target} chunks; timed from the first post until every source is ready.
     */
    static Ingested ingestAsync(Session company, String agentId, SyntheticText text, long seed, int docChars,
            int target, int threads) {
        System.out.printf("Ingesting until %d chunks: POST /company/agents/{id}/knowledge (%d at a time), "
                + "background ingestion%n", target, threads);
        long start = System.nanoTime();
        int posted = 0;
        Map<String, Session.SourceState> states = Map.of();
        long chunks = 0;
        int batch = Math.min(20, target);
        while (true) {
            postAll(company, agentId, text, seed, docChars, posted, batch, threads);
            posted += batch;
            states = company.awaitSettled(agentId, posted, Duration.ofHours(12));
            chunks = states.values().stream().mapToLong(Session.SourceState::chunkCount).sum();
            if (chunks >= target) {
                break;
            }
            double perDocument = Math.max(0.1, chunks / (double) posted);
            batch = (int) Math.max(1, Math.ceil((target - chunks) / perDocument));
            System.out.printf("  %d chunks from %d documents (%.2f per document): posting %d more%n", chunks, posted,
                    perDocument, batch);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int failed = (int) states.values().stream().filter(s -> "failed".equals(s.status())).count();
        return new Ingested("POST /company/agents/{id}/knowledge (" + threads + " client threads; the server's "
                + "background workers), polled until ready", posted, chunks, failed, seconds);
    }

    /** Posts documents {@code first .. first+count-1} for background ingestion, {@code threads} at a time. */
    private static void postAll(Session company, String agentId, SyntheticText text, long seed, int docChars,
            int first, int count, int threads) {
        AtomicInteger next = new AtomicInteger(first);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < first + count) {
                    company.add(agentId, document(text, seed, docChars, i));
                }
                return null;
            }));
        }
        awaitAll(pool, futures, "posting");
    }

    /** Waits for every task; the first failure stops the rest and is rethrown. */
    static void awaitAll(ExecutorService pool, List<Future<?>> futures, String what) {
        pool.shutdown();
        for (Future<?> future : futures) {
            await(pool, future, what);
        }
    }

    /** One task's result; a failure stops the pool's other tasks and is rethrown. */
    static <T> T await(ExecutorService pool, Future<T> future, String what) {
        try {
            return future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            pool.shutdownNow();
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---- search ----

    static Set<String> distinctQueries(SyntheticText text, Random random, int count, Set<String> exclude) {
        Set<String> queries = new LinkedHashSet<>();
        int attempts = 0;
        while (queries.size() < count) {
            String query = text.query(random);
            if (!exclude.contains(query)) {
                queries.add(query);
            }
            if (++attempts > count * 100) {
                throw new IllegalStateException("could not make " + count + " distinct queries");
            }
        }
        return queries;
    }

    static void measure(Session company, String agentId, List<String> queries, int k, String mode, int concurrency,
            Report report, String latenciesFile) {
        System.out.printf("Measuring %d distinct %s searches (k=%d), %d at a time%n", queries.size(), mode, k,
                concurrency);
        double[] latencies = new double[queries.size()];
        long[] startedAt = new long[queries.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicLong results = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < queries.size()) {
                    startedAt[i] = System.currentTimeMillis();
                    long begin = System.nanoTime();
                    results.addAndGet(company.search(agentId, queries.get(i), k, mode).size());
                    latencies[i] = (System.nanoTime() - begin) / 1e6;
                }
                return null;
            }));
        }
        awaitAll(pool, futures, "search");
        double seconds = (System.nanoTime() - start) / 1e9;
        if (latenciesFile != null) {
            writeLatencies(Path.of(latenciesFile), queries, startedAt, latencies);
        }
        double[] sorted = latencies.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(Double.NaN);
        report.put("searches", String.format(Locale.ROOT, "%d distinct %s queries of 3–8 words, k=%d, concurrency %d"
                + " (%.1f results each on average)", queries.size(), mode, k, concurrency,
                results.get() / (double) queries.size()));
        report.put("latency p50 / p95 / p99 / max", String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f ms "
                + "(mean %.1f ms)", Metrics.percentile(sorted, 50), Metrics.percentile(sorted, 95),
                Metrics.percentile(sorted, 99), sorted[sorted.length - 1], mean));
        report.put("search throughput", String.format(Locale.ROOT, "%.1f searches/s", queries.size() / seconds));
        report.figure("search.p50_ms", Metrics.percentile(sorted, 50), "ms");
        report.figure("search.p95_ms", Metrics.percentile(sorted, 95), "ms");
        report.figure("search.p99_ms", Metrics.percentile(sorted, 99), "ms");
        report.figure("search.per_s", queries.size() / seconds, "searches/s");
    }

    private static void writeLatencies(Path file, List<String> queries, long[] startedAt, double[] latencies) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < latencies.length; i++) {
            lines.append(startedAt[i]).append('\t').append(String.format(Locale.ROOT, "%.3f", latencies[i]))
                    .append('\t').append(queries.get(i).split(" ").length).append('\n');
        }
        try {
            Files.writeString(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    /**
     * Ordered figures, printed as they come and again as a Markdown table at the end; the machine-readable ones
     * ({@link #figure}) also go to the bench's {@code --results} file, when it has one.
     */
    static final class Report {
        private final String title;
        private final List<String[]> rows = new ArrayList<>();
        private final Figures figures;

        Report(String title) {
            this(title, null);
        }

        /** @param resultsFile where {@link #figure} writes, null for nowhere */
        Report(String title, String resultsFile) {
            this.title = title;
            this.figures = Figures.to(resultsFile);
        }

        /** A figure for {@link AllBench} (not printed: the text of {@link #put} already says it for people). */
        void figure(String name, double value, String unit) {
            figures.put(name, value, unit);
        }

        void put(String name, String value) {
            rows.add(new String[] {name, value});
            System.out.printf("%-34s %s%n", name + ":", value);
        }

        void memory(String when, EngageServer server) {
            put("server RSS, " + when, EngageServer.formatBytes(server.rssBytes()) + " (heap used "
                    + EngageServer.formatBytes(server.heapUsedBytes()) + ")");
        }

        void print() {
            StringBuilder md = new StringBuilder("\n### " + title + "\n\n| figure | value |\n|---|---|\n");
            for (String[] row : rows) {
                md.append("| ").append(row[0]).append(" | ").append(row[1].replace("|", "\\|")).append(" |\n");
            }
            System.out.print(md);
        }
    }
}
