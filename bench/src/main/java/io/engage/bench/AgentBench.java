package io.engage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Load on the AI Agent API ({@code POST /agent/query}) of a throw-away server: distinct and repeated questions per
 * second with the built-in extractive (zero-latency) model, latency under a moderate fixed load, and how long the
 * server takes to pass a model's first streamed token on as SSE, measured against an in-process stub model.
 */
public final class AgentBench {

    static final String USAGE = """
            Usage: AgentBench [--scenarios distinct,repeated,overhead,sse] [--concurrency 100] [--seconds 20]
                              [--warmup 2000] [--warmup-seconds 150] [--settle-seconds 10] [--repeat-set 10] [--overhead-rate 100] [--sse-queries 500]
                              [--sse-warmup 500] [--knowledge bench/data/sample] [--seed 1]
                              [--postgres JDBC_URL] [--jar PATH] [--xmx 4g] [--server-env NAME=VALUE,...]
                              [--results FILE]

              --scenarios LIST    any of distinct, repeated, overhead, sse (comma-separated, run in that order)
              --concurrency N     conversations at once: N client threads, each one end-user asking in a loop
              --seconds N         measuring window of each load scenario (after the common warm-up)
              --warmup N          questions asked before anything is measured (each agent's index)
              --warmup-seconds S  and for at least this long, half distinct and half repeated questions (both
                                  paths compiled): C2 keeps compiling the server's hot paths for about two minutes
                                  of load on 2 cores, and figures taken earlier partly measure the JIT (each
                                  line reports the compiler threads' CPU in its window)
              --settle-seconds S  each load scenario first runs this long unmeasured, with its own end-users,
                                  agent and questions: their arrival starts a burst of JIT compilation
              --repeat-set N      how many different questions the repeated scenario asks over and over
              --overhead-rate R   questions/s offered in total by the overhead scenario (think time per thread)
              --sse-queries N     streamed questions measured one after another (after --sse-warmup more)
              --knowledge DIR     corpus.jsonl (BEIR layout) indexed into every agent; questions are made from it
              --server-env A=1    more environment for the server, e.g. SPRING_DATA_REDIS_URL=redis://127.0.0.1:6379/14
              --results FILE      also write the load scenarios' figures as "name TAB value TAB unit" lines
                                  (for AllBench)
            """;

    /* the targets of issue 4 (H2) and issue 9 (PostgreSQL + Redis) for /agent/query at 100 conversations */
    static final double DISTINCT_TARGET_PER_S = 300;
    static final double REPEATED_TARGET_PER_S = 3000;
    /**
     * Agents the repeated scenario spreads its conversations over: its settling and measured windows (30 s) at
     * 4,800 answers/s overran one agent's largest rate limit (100,000 a minute) in run 17; three allow 5,000/s for
     * 30 s with room to spare.
     */
    static final int REPEATED_AGENTS = 3;
    static final double OVERHEAD_P99_TARGET_MS = 25;

    private static final List<String> SCENARIOS = List.of("distinct", "repeated", "overhead", "sse");
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

    private AgentBench() {
    }

    public static void main(String[] argv) {
        Args.runMain("AgentBench", () -> run(argv));
    }

    static int run(String[] argv) {
        Args args = Args.parse(argv, Set.of("scenarios", "concurrency", "seconds", "warmup", "warmup-seconds",
                "settle-seconds", "repeat-set",
                "overhead-rate", "sse-queries", "sse-warmup", "knowledge", "seed", "postgres", "jar", "xmx",
                "server-env", "results"), Set.of(), USAGE);
        List<String> scenarios = List.of(args.get("scenarios", String.join(",", SCENARIOS)).split(","));
        int concurrency = args.getInt("concurrency", 100);
        int seconds = args.getInt("seconds", 20);
        int warmup = args.getInt("warmup", 2000);
        int warmupSeconds = args.getInt("warmup-seconds", 150);
        int settleSeconds = args.getInt("settle-seconds", 10);
        int repeatSet = args.getInt("repeat-set", 10);
        int overheadRate = args.getInt("overhead-rate", 100);
        int sseQueries = args.getInt("sse-queries", 500);
        int sseWarmup = args.getInt("sse-warmup", 500);
        if (!SCENARIOS.containsAll(scenarios) || concurrency < 1 || seconds < 1 || warmup < 0 || settleSeconds < 0
                || repeatSet < 1
                || overheadRate < 1 || sseQueries < 1 || sseWarmup < 0) {
            throw new IllegalArgumentException("invalid option\n\n" + USAGE);
        }
        BeirDataset knowledge = BeirDataset.load(findKnowledge(args.get("knowledge")));
        Questions questions = new Questions(knowledge.corpus.values(), args.getInt("seed", 1));
        List<String> repeated = new ArrayList<>();
        for (int i = 0; i < repeatSet; i++) {
            repeated.add(questions.get(i));
        }
        // the distinct questions start after the repeated set, so none of them was asked before
        AtomicLong nextQuestion = new AtomicLong(repeatSet);
        QuestionSource fresh = (thread, n) -> questions.get(nextQuestion.getAndIncrement());

        Path jar = EngageServer.findJar(args.get("jar"));
        String xmx = args.get("xmx", "4g");
        PerfBench.Report report = new PerfBench.Report("AgentBench", args.get("results"));
        report.put("server", EngageServer.jvm(xmx) + ", " + (args.get("postgres") == null ? "H2" : "PostgreSQL")
                + (args.get("server-env") == null ? "" : ", " + args.get("server-env")));
        report.put("knowledge", knowledge.corpus.size() + " documents from " + knowledge.dir + "; "
                + questions.size() + " distinct questions before they repeat with a round number");
        List<Row> rows = new ArrayList<>();
        try (EngageServer server = EngageServer.start(jar, args.get("postgres"), xmx,
                EngageServer.parseEnv(args.get("server-env")));
                StubModel stub = scenarios.contains("sse") ? StubModel.start() : null) {
            Session company = server.signupCompany("AgentBench");
            AgentApi api = new AgentApi(server.http(), server.baseUrl());
            // agents per load scenario, each with a fresh rate-limit bucket (the API allows at most 100,000 questions
            // a minute per agent, 1,667/s sustained after a full bucket): one, and for repeated questions, which a
            // node answers faster than one agent may be asked, REPEATED_AGENTS
            Map<String, List<Agent>> agents = new LinkedHashMap<>();
            for (String scenario : scenarios) {
                Map<String, Object> llm = scenario.equals("sse") ? Map.of("provider", "openai-compatible",
                        "baseUrl", stub.baseUrl(), "model", "stub", "apiKey", "stub-key") : Map.of();
                int count = scenario.equals("repeated") ? REPEATED_AGENTS : 1;
                List<Agent> created = new ArrayList<>();
                for (int i = 1; i <= count; i++) {
                    created.add(Agent.create(company, "AgentBench " + scenario + (count == 1 ? "" : " " + i), llm,
                            knowledge));
                }
                agents.put(scenario, List.copyOf(created));
            }
            report.put("agents", agents.values().stream().mapToInt(List::size).sum() + " (" + agents.entrySet()
                    .stream().map(e -> e.getValue().size() + " " + e.getKey()).collect(Collectors.joining(", "))
                    + "), " + knowledge.corpus.size() + " documents indexed into each");

            List<Agent> extractive = agents.entrySet().stream().filter(e -> !e.getKey().equals("sse"))
                    .flatMap(e -> e.getValue().stream()).toList();
            if (warmup > 0 && !extractive.isEmpty()) {
                measure(server, api, report, new Load("warm-up", extractive, concurrency, Duration.ofHours(1),
                        warmup, 0, fresh));
            }
            if (warmupSeconds > 0 && !extractive.isEmpty()) {
                // a long-running server has compiled the path of an answered-before question (every cache hit) as
                // well as a new one's: warmed up on distinct questions alone, the repeated scenario measured C2
                // compiling its path (a sixth of the server's CPU in its first 20 s)
                QuestionSource mixed = (thread, n) -> n % 2 == 0 ? fresh.next(thread, n)
                        : repeated.get((int) ((thread + n) % repeatSet));
                measure(server, api, report, new Load("warm-up (JIT)", extractive, concurrency,
                        Duration.ofSeconds(warmupSeconds), Long.MAX_VALUE, 0, mixed));
            }
            report.memory("after warm-up", server);
            Duration window = Duration.ofSeconds(seconds);
            for (String scenario : scenarios) {
                List<Agent> agent = agents.get(scenario);
                switch (scenario) {
                    case "distinct" -> rows.add(settleAndMeasure(server, api, report, new Load(scenario, agent,
                            concurrency, window, Long.MAX_VALUE, 0, fresh), settleSeconds).figures(report, scenario)
                            .row("≥ 300 q/s", r -> r.perSecond() >= DISTINCT_TARGET_PER_S));
                    case "repeated" -> rows.add(settleAndMeasure(server, api, report, new Load(scenario, agent,
                            concurrency, window, Long.MAX_VALUE, 0,
                            (thread, n) -> repeated.get((int) ((thread + n) % repeatSet))), settleSeconds)
                            .figures(report, scenario).row("≥ 3000 q/s", r -> r.perSecond() >= REPEATED_TARGET_PER_S));
                    case "overhead" -> {
                        // each thread asks once per period: a fixed offered load, meant to be below saturation
                        long period = Duration.ofSeconds(concurrency).toNanos() / overheadRate;
                        LoadResult result = settleAndMeasure(server, api, report, new Load("overhead, "
                                + overheadRate + "/s offered", agent, concurrency, window, Long.MAX_VALUE, period,
                                fresh), settleSeconds);
                        if (result.perSecond() < 0.9 * overheadRate) {
                            report.put("overhead SATURATED", String.format(Locale.ROOT, "%.0f/s answered of %d/s "
                                    + "offered, so its latencies include queueing; try a lower --overhead-rate",
                                    result.perSecond(), overheadRate));
                        }
                        rows.add(result.figures(report, scenario)
                                .row("p99 < 25 ms", r -> r.percentile(99) < OVERHEAD_P99_TARGET_MS));
                    }
                    case "sse" -> rows.addAll(runStreams(server, api, agents.get(scenario).get(0), stub, sseWarmup,
                            sseQueries, questions, nextQuestion, report));
                    default -> throw new IllegalStateException(scenario);
                }
                report.memory("after " + scenario, server);
            }
            report.put("server log", server.logSummary());
        }
        report.print();
        printTable(rows);
        return 0;
    }

    /** {@code --knowledge}, else bench/data/sample from the repository root or from bench/. */
    private static Path findKnowledge(String explicit) {
        List<Path> candidates = explicit != null ? List.of(Path.of(explicit))
                : List.of(Path.of("bench/data/sample"), Path.of("data/sample"));
        return candidates.stream().filter(p -> Files.isRegularFile(p.resolve("corpus.jsonl"))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no corpus.jsonl in " + candidates));
    }

    // ---- setup ----

    /** An agent under test and its API key. */
    record Agent(String id, String apiKey) {

        static Agent create(Session company, String name, Map<String, Object> llm, BeirDataset knowledge) {
            Agent agent = create(company, name, llm);
            agent.index(company, knowledge.corpus.values());
            return agent;
        }

        /** A new agent without knowledge. */
        static Agent create(Session company, String name, Map<String, Object> llm) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            if (!llm.isEmpty()) {
                body.put("llm", llm);
            }
            // the maximum limits, so that the bench measures the server and not its rate limiter
            body.put("limits", Map.of("requestsPerMinute", 100_000, "perEndUserPerMinute", 10_000));
            JsonNode created = company.createAgent(body);
            return new Agent(created.path("id").asText(), created.path("apiKey").asText());
        }

        /** Indexes the documents synchronously ({@code /rag} index) → how many chunks they made. */
        int index(Session company, Collection<BeirDataset.Document> documents) {
            int chunks = 0;
            for (BeirDataset.Document doc : documents) {
                chunks += company.index(id, new Session.Doc(doc.id(), doc.title(), doc.text())).path("chunkCount")
                        .asInt();
            }
            return chunks;
        }
    }

    /**
     * Questions made from the knowledge itself: a document's title and two words of its text in one of a few
     * phrasings, so that retrieval finds the document and the extractive model answers from it. None reads as a
     * follow-up (no "it", "this", "there", …), so a repeated question is searched as the same query every time.
     */
    static final class Questions {

        private static final String[] PHRASINGS = {
            "What does the %s say about %s and %s?",
            "How do %2$s and %3$s work for the %1$s?",
            "Can you tell me about %2$s with %3$s in the %1$s?",
            "Is anything said on %2$s or %3$s for the %1$s?",
            "Where do I find %2$s and %3$s details of the %1$s?",
            "Why does the %1$s mention %2$s and %3$s?",
            "Please explain %2$s and %3$s of the %1$s.",
            "Do I need %2$s for %3$s with the %1$s?",
        };
        private static final Pattern WORD = Pattern.compile("\\p{L}{4,}");
        private static final Set<String> SKIP = Set.of("this", "that", "with", "from", "have", "your", "they",
                "them", "their", "there", "when", "which", "into", "each", "also", "only", "than", "then", "were",
                "will", "does", "after", "before", "within",
                // words that make the server read a question as a follow-up and search it with the previous one
                "these", "those", "same", "else", "ones",
                // words the server's hand-off detection looks for: a question must not ask for a person
                "talk", "speak", "chat", "connect", "transfer", "human", "person", "people", "someone", "somebody",
                "representative", "operator", "agent", "staff", "support", "real", "live", "actual");
        private static final int WORDS_PER_DOCUMENT = 16;

        /** title, word, word */
        private final List<String[]> combinations = new ArrayList<>();

        Questions(Collection<BeirDataset.Document> documents, long seed) {
            for (BeirDataset.Document doc : documents) {
                Set<String> words = new LinkedHashSet<>();
                Matcher matcher = WORD.matcher(doc.text());
                while (matcher.find() && words.size() < WORDS_PER_DOCUMENT) {
                    String word = matcher.group().toLowerCase(Locale.ROOT);
                    if (!SKIP.contains(word)) {
                        words.add(word);
                    }
                }
                List<String> list = new ArrayList<>(words);
                for (int i = 0; i < list.size(); i++) {
                    for (int j = i + 1; j < list.size(); j++) {
                        combinations.add(new String[] {doc.title(), list.get(i), list.get(j)});
                    }
                }
            }
            if (combinations.isEmpty()) {
                throw new IllegalArgumentException("the knowledge has no words to make questions from");
            }
            Collections.shuffle(combinations, new Random(seed));
        }

        /** Distinct questions before the first repeats (after that a round number keeps them distinct). */
        long size() {
            return (long) combinations.size() * PHRASINGS.length;
        }

        /** The i-th question; different i, different text. */
        String get(long i) {
            String[] c = combinations.get((int) (i / PHRASINGS.length % combinations.size()));
            String question = String.format(Locale.ROOT, PHRASINGS[(int) (i % PHRASINGS.length)], c[0], c[1], c[2]);
            long round = i / size();
            return round == 0 ? question : question + " (" + (round + 1) + ")";
        }
    }

    // ---- load ----

    /**
     * {@code POST /agent/query} without retries: every non-200 is counted, a 429 too. Plain answers go through the
     * lean {@link LoadClient}; streamed ones through the JDK client, which reads the event stream line by line.
     */
    record AgentApi(Http http, String baseUrl, LoadClient load) {

        /** Enough keep-alive connections for every load scenario's client threads. */
        private static final int CONNECTIONS = 256;

        AgentApi(Http http, String baseUrl) {
            this(http, baseUrl, new LoadClient(CONNECTIONS, QUERY_TIMEOUT));
        }

        HttpRequest request(Agent agent, String endUserId, String message, String accept) {
            byte[] body = Http.toJsonBytes(Map.of("endUserId", endUserId, "message", message));
            return HttpRequest.newBuilder(URI.create(baseUrl + "/agent/query")).timeout(QUERY_TIMEOUT)
                    .header("Content-Type", "application/json").header("Accept", accept)
                    .header("X-Engage-Key", agent.apiKey())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        }

        /** status and body; status -1 and the exception when there was no response. */
        Http.Response ask(Agent agent, String endUserId, String message) {
            return load.post(URI.create(baseUrl + "/agent/query"), Map.of("Accept", "application/json",
                    "X-Engage-Key", agent.apiKey()), Http.toJsonBytes(Map.of("endUserId", endUserId, "message",
                    message)));
        }
    }

    /** Which question thread {@code thread} asks as its {@code n}-th. */
    interface QuestionSource {
        String next(int thread, long n);
    }

    /** What one client thread saw. */
    static final class Recorder {
        long[] latencies = new long[1024];
        int ok;
        long grounded;
        /** how often the conversation id changed from one answer to the next (the first counts) */
        long conversations;
        private String lastConversation;
        final Map<Integer, Long> errors = new TreeMap<>();

        void ok(long nanos, JsonNode answer) {
            if (ok == latencies.length) {
                latencies = Arrays.copyOf(latencies, ok * 2);
            }
            latencies[ok++] = nanos;
            if (answer.path("grounded").asBoolean()) {
                grounded++;
            }
            String conversation = answer.path("conversationId").asText();
            if (!conversation.equals(lastConversation)) {
                conversations++;
                lastConversation = conversation;
            }
        }
    }

    /** A load run's figures; latencies of the 200 answers only, errors counted by status (-1: no response). */
    record LoadResult(String scenario, int threads, long ok, double seconds, double[] sortedMs, long grounded,
            long conversations, Map<Integer, Long> errors, Map<Integer, String> errorSamples, Cpu cpu) {

        double perSecond() {
            return ok / seconds;
        }

        double percentile(double p) {
            return Metrics.percentile(sortedMs, p);
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        String summary() {
            return String.format(Locale.ROOT, "%d answers in %.1f s by %d conversations (%d conversation ids), "
                    + "%.0f/s, p50 %.1f ms, %d grounded; %s; %s", ok, seconds, threads, conversations, perSecond(),
                    percentile(50), grounded, cpu.describe(seconds), errorText());
        }

        String errorText() {
            if (errors.isEmpty()) {
                return "no errors";
            }
            StringBuilder text = new StringBuilder(errorCount() + " errors:");
            errors.forEach((status, count) -> text.append(" HTTP ").append(status == -1 ? "none" : status)
                    .append(" ×").append(count).append(" (").append(Http.abbreviate(errorSamples.get(status), 200))
                    .append(")"));
            return text.toString();
        }

        /** The figures AllBench reads, named {@code key.answers_per_s} and so on; returns this. */
        LoadResult figures(PerfBench.Report report, String key) {
            report.figure(key + ".answers_per_s", perSecond(), "q/s");
            report.figure(key + ".p50_ms", percentile(50), "ms");
            report.figure(key + ".p95_ms", percentile(95), "ms");
            report.figure(key + ".p99_ms", percentile(99), "ms");
            report.figure(key + ".errors", errorCount(), "errors");
            report.figure(key + ".conversations", threads, "conversations");
            if (cpu.jit() >= 0 && cpu.server() > 0) {
                report.figure(key + ".jit_percent", 100 * cpu.jit() / cpu.server(), "%");
            }
            return this;
        }

        Row row(String target, java.util.function.Predicate<LoadResult> met) {
            return new Row(scenario, perSecond(), percentile(50), percentile(95), percentile(99),
                    sortedMs.length == 0 ? Double.NaN : sortedMs[sortedMs.length - 1], errorCount(),
                    target + (met.test(this) && errors.isEmpty() ? " ✓" : " ✗"));
        }
    }

    /**
     * CPU time used so far by the server, by its JIT compiler threads (part of the server's), by this (client)
     * process, and by every PostgreSQL and Redis process of the machine (the bench's own database and Redis when,
     * as here, they run on the same machine; -1 where /proc is missing), in seconds.
     */
    record Cpu(double server, double jit, double bench, double postgres, double redis) {

        static Cpu now(EngageServer server) {
            return new Cpu(server.cpuSeconds(), server.compilerCpuSeconds(), ((com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9,
                    EngageServer.cpuSecondsOf("postgres"), EngageServer.cpuSecondsOf("redis-server"));
        }

        Cpu since(Cpu before) {
            return new Cpu(server - before.server, difference(jit, before.jit), bench - before.bench,
                    difference(postgres, before.postgres), difference(redis, before.redis));
        }

        private static double difference(double now, double before) {
            return now < 0 || before < 0 ? -1 : Math.max(0, now - before);
        }

        /**
         * With the client's share, to see whether the client competes with the server for the cores, the JIT's (a
         * figure taken while the compilers are still busy is not the server's steady state), and the database's and
         * Redis's, which share the same two cores.
         */
        String describe(double wallSeconds) {
            String compilers = jit < 0 ? "" : String.format(Locale.ROOT, " of which JIT compilers %.1f s (%.0f %%)", jit,
                    server > 0 ? 100 * jit / server : 0);
            String stores = postgres < 0 ? "" : String.format(Locale.ROOT, ", PostgreSQL %.1f s, Redis %.1f s",
                    postgres, redis);
            return String.format(Locale.ROOT, "CPU server %.1f s (%.2f cores)%s, bench %.1f s (%.2f cores)%s", server,
                    server / wallSeconds, compilers, bench, bench / wallSeconds, stores);
        }
    }

    /**
     * A load run: {@code threads} conversations at once, thread t being end-user "{visitors}-user-t" of agent t mod
     * agents, until {@code window} is over or {@code maxQuestions} were asked. With {@code periodNanos} > 0 each thread
     * asks at most once per period (from a random phase, no catching up after a slow answer): a fixed offered load.
     */
    record Load(String scenario, String visitors, List<Agent> agents, int threads, Duration window, long maxQuestions,
            long periodNanos, QuestionSource source) {

        /** End-users named after the scenario. */
        Load(String scenario, List<Agent> agents, int threads, Duration window, long maxQuestions, long periodNanos,
                QuestionSource source) {
            this(scenario, scenario.replaceAll("\\W", ""), agents, threads, window, maxQuestions, periodNanos,
                    source);
        }

        /** The same load (same end-users, agents and questions) for {@code seconds}, under another name. */
        Load settling(int seconds) {
            return new Load(scenario + " (settling, not counted)", visitors, agents, threads,
                    Duration.ofSeconds(seconds), Long.MAX_VALUE, periodNanos, source);
        }
    }

    /**
     * Runs the load for {@code settleSeconds} unmeasured (its first seconds bring new end-users, conversations and the
     * scenario's agent to a node warmed on other ones, and C2 compiles what that changes: a burst of several seconds of
     * compilation at the start of every scenario), then measures it.
     */
    static LoadResult settleAndMeasure(EngageServer server, AgentApi api, PerfBench.Report report, Load load,
            int settleSeconds) {
        if (settleSeconds > 0) {
            measure(server, api, report, load.settling(settleSeconds));
        }
        return measure(server, api, report, load);
    }

    /** Runs the load and puts its summary in the report. */
    static LoadResult measure(EngageServer server, AgentApi api, PerfBench.Report report, Load load) {
        LoadResult result = runLoad(server, api, load);
        report.put(load.scenario(), result.summary());
        return result;
    }

    static LoadResult runLoad(EngageServer server, AgentApi api, Load load) {
        String scenario = load.scenario();
        int threads = load.threads();
        long maxQuestions = load.maxQuestions();
        long periodNanos = load.periodNanos();
        System.out.printf("%s: %d conversations, %s%n", scenario, threads, maxQuestions == Long.MAX_VALUE
                ? load.window().toSeconds() + " s" : maxQuestions + " questions");
        AtomicLong asked = new AtomicLong();
        Map<Integer, String> samples = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Recorder>> futures = new ArrayList<>();
        Random phases = new Random(threads);
        Cpu cpuBefore = Cpu.now(server);
        long start = System.nanoTime();
        long deadline = start + load.window().toNanos();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Agent agent = load.agents().get(t % load.agents().size());
            long phase = periodNanos > 0 ? (long) (phases.nextDouble() * periodNanos) : 0;
            futures.add(pool.submit(() -> {
                Recorder recorder = new Recorder();
                String endUserId = load.visitors() + "-user-" + thread;
                long next = start + phase;
                for (long n = 0; ; n++) {
                    if (periodNanos > 0) {
                        if (next >= deadline) {
                            return recorder; // (not parked past the window, which would stretch its length)
                        }
                        LockSupport.parkNanos(next - System.nanoTime());
                        next = Math.max(next + periodNanos, System.nanoTime());
                    }
                    if (System.nanoTime() >= deadline || asked.getAndIncrement() >= maxQuestions) {
                        return recorder;
                    }
                    String question = load.source().next(thread, n);
                    long begin = System.nanoTime();
                    Http.Response response = api.ask(agent, endUserId, question);
                    long nanos = System.nanoTime() - begin;
                    if (response.status() == 200) {
                        recorder.ok(nanos, response.json());
                    } else {
                        recorder.errors.merge(response.status(), 1L, Long::sum);
                        samples.putIfAbsent(response.status(), response.body());
                    }
                }
            }));
        }
        List<Recorder> recorders = new ArrayList<>();
        pool.shutdown();
        for (Future<Recorder> future : futures) {
            recorders.add(PerfBench.await(pool, future, scenario));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Cpu cpu = Cpu.now(server).since(cpuBefore);
        int total = recorders.stream().mapToInt(r -> r.ok).sum();
        double[] sorted = new double[total];
        int filled = 0;
        Map<Integer, Long> errors = new TreeMap<>();
        for (Recorder recorder : recorders) {
            for (int i = 0; i < recorder.ok; i++) {
                sorted[filled++] = recorder.latencies[i] / 1e6;
            }
            recorder.errors.forEach((status, count) -> errors.merge(status, count, Long::sum));
        }
        Arrays.sort(sorted);
        LoadResult result = new LoadResult(scenario, threads, total, seconds, sorted,
                recorders.stream().mapToLong(r -> r.grounded).sum(),
                recorders.stream().mapToLong(r -> r.conversations).sum(), errors, samples, cpu);
        return result;
    }

    // ---- streaming ----

    /** When one streamed answer's events arrived, in System.nanoTime() of this JVM (the stub model's clock too). */
    record StreamTimes(long sent, long start, long firstToken, long modelFirstToken, boolean fromModel,
            String error) {
    }

    /**
     * Streamed questions one after another to the agent that uses the stub model: time to the {@code start} event
     * and to the first {@code token} event from sending, and from the stub flushing its first token to the client
     * reading the first {@code token} event.
     */
    static List<Row> runStreams(EngageServer server, AgentApi api, Agent agent, StubModel stub, int warmup, int measured,
            Questions questions, AtomicLong nextQuestion, PerfBench.Report report) {
        System.out.printf("sse: %d streamed questions one at a time (after %d to warm up), model stub at %s%n",
                measured, warmup, stub.baseUrl());
        List<StreamTimes> times = new ArrayList<>();
        Map<String, Long> problems = new TreeMap<>();
        long begin = 0;
        Cpu cpuBefore = null;
        for (int i = 0; i < warmup + measured; i++) {
            if (i == warmup) {
                begin = System.nanoTime();
                cpuBefore = Cpu.now(server);
            }
            // a few end-users in turn, so that the conversations (and their history in the prompt) stay short-ish
            StreamTimes t = stream(api, agent, stub, "sse-user-" + (i % 10),
                    questions.get(nextQuestion.getAndIncrement()));
            if (i < warmup) {
                continue;
            }
            String problem = t.error() != null ? t.error()
                    : !t.fromModel() ? "answered without the model's tokens (fallback or grounding guard)"
                    : t.firstToken() == 0 || t.start() == 0 ? "no start or token event" : null;
            if (problem == null) {
                times.add(t);
            } else {
                problems.merge(Http.abbreviate(problem, 200), 1L, Long::sum);
            }
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        Cpu cpu = Cpu.now(server).since(cpuBefore);
        double perSecond = measured / seconds;
        long errorCount = problems.values().stream().mapToLong(Long::longValue).sum();
        List<Row> rows = List.of(
                streamRow("sse start event (from send)", perSecond, times, t -> t.start() - t.sent(), errorCount,
                        "-"),
                streamRow("sse first token (from send)", perSecond, times, t -> t.firstToken() - t.sent(),
                        errorCount, "-"),
                streamRow("sse first token after model's", perSecond, times,
                        t -> t.firstToken() - t.modelFirstToken(), errorCount, "p99 ≤ 20 ms"));
        report.put("sse", String.format(Locale.ROOT, "%d streamed answers measured, %.1f/s one at a time, %d model "
                + "calls in all; %s; %s", times.size(), perSecond, stub.calls(), cpu.describe(seconds),
                errorCount == 0 ? "no errors" : errorCount + " problems: " + problems));
        return rows;
    }

    private static Row streamRow(String name, double perSecond, List<StreamTimes> times,
            java.util.function.ToLongFunction<StreamTimes> nanos, long errors, String target) {
        double[] sorted = times.stream().mapToDouble(t -> nanos.applyAsLong(t) / 1e6).sorted().toArray();
        double p99 = Metrics.percentile(sorted, 99);
        String verdict = target.equals("-") ? "" : target + (p99 <= 20 && errors == 0 ? " ✓" : " ✗");
        return new Row(name, perSecond, Metrics.percentile(sorted, 50), Metrics.percentile(sorted, 95), p99,
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1], errors, verdict);
    }

    /** One streamed answer, read line by line as it arrives ({@code event:NAME} then {@code data:JSON}). */
    static StreamTimes stream(AgentApi api, Agent agent, StubModel stub, String endUserId, String question) {
        stub.reset();
        HttpRequest request = api.request(agent, endUserId, question, "text/event-stream");
        long sent = System.nanoTime();
        long start = 0;
        long firstToken = 0;
        boolean fromModel = false;
        String event = null;
        try {
            HttpResponse<InputStream> response = api.http().exchange(request, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                if (response.statusCode() != 200) {
                    return new StreamTimes(sent, 0, 0, 0, false, "HTTP " + response.statusCode() + ": "
                            + reader.lines().reduce("", String::concat));
                }
                for (String line; (line = reader.readLine()) != null; ) {
                    long now = System.nanoTime();
                    if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                        if (event.equals("start") && start == 0) {
                            start = now;
                        } else if (event.equals("token") && firstToken == 0) {
                            firstToken = now;
                        }
                    } else if (line.startsWith("data:") && "token".equals(event) && !fromModel) {
                        fromModel = line.contains(StubModel.FIRST_TOKEN);
                    } else if (line.startsWith("data:") && "error".equals(event)) {
                        return new StreamTimes(sent, start, firstToken, 0, false, "error event: " + line);
                    }
                }
            }
        } catch (IOException e) {
            return new StreamTimes(sent, start, firstToken, 0, false, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return new StreamTimes(sent, start, firstToken, stub.firstTokenNanos(), fromModel, null);
    }

    /**
     * An OpenAI-compatible chat model with no latency of its own: {@code POST /v1/chat/completions} streams a few
     * chunks at once and notes when the first one was flushed.
     */
    static final class StubModel implements AutoCloseable {

        static final String FIRST_TOKEN = "Hello";
        private static final List<String> TOKENS = List.of(FIRST_TOKEN, " from", " the", " stub", " model", " [1].");

        private final HttpServer server;
        private final ExecutorService pool;
        private final AtomicLong firstTokenNanos = new AtomicLong();
        private final AtomicLong calls = new AtomicLong();

        private StubModel(HttpServer server, ExecutorService pool) {
            this.server = server;
            this.pool = pool;
        }

        static StubModel start() {
            // small writes go out at once instead of waiting for the previous segment's ACK (Nagle)
            System.setProperty("sun.net.httpserver.nodelay", "true");
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
                ExecutorService pool = Executors.newFixedThreadPool(4, runnable -> {
                    Thread thread = new Thread(runnable, "stub-model");
                    thread.setDaemon(true);
                    return thread;
                });
                StubModel stub = new StubModel(server, pool);
                server.createContext("/v1/chat/completions", stub::handle);
                server.setExecutor(pool);
                server.start();
                return stub;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        }

        void reset() {
            firstTokenNanos.set(0);
        }

        long firstTokenNanos() {
            return firstTokenNanos.get();
        }

        long calls() {
            return calls.get();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                if (!exchange.getRequestMethod().equals("POST")) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                calls.incrementAndGet();
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (int i = 0; i < TOKENS.size(); i++) {
                    out.write(chunk("{\"content\":" + Http.JSON.writeValueAsString(TOKENS.get(i)) + "}", ""));
                    out.flush();
                    if (i == 0) {
                        firstTokenNanos.set(System.nanoTime());
                    }
                }
                out.write(chunk("{}", ",\"finish_reason\":\"stop\"",
                        ",\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":6,\"total_tokens\":106}"));
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }

        private static byte[] chunk(String delta, String finish) {
            return chunk(delta, finish, "");
        }

        private static byte[] chunk(String delta, String finish, String usage) {
            return ("data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"stub\","
                    + "\"choices\":[{\"index\":0,\"delta\":" + delta + finish + "}]" + usage + "}\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    // ---- output ----

    /** One line of the final table; times in ms. */
    record Row(String scenario, double perSecond, double p50, double p95, double p99, double max, long errors,
            String target) {
    }

    private static void printTable(List<Row> rows) {
        StringBuilder md = new StringBuilder("\n| scenario | q/s | p50 ms | p95 ms | p99 ms | max ms | errors | target |"
                + "\n|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row row : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.1f | %.1f | %.1f | %d | %s |%n",
                    row.scenario(), row.perSecond(), row.p50(), row.p95(), row.p99(), row.max(), row.errors(),
                    row.target()));
        }
        System.out.print(md);
    }
}
