package io.engage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Analytics over a year of traffic on PostgreSQL (issue 5: "analytics over 10 million events answer in < 500 ms"):
 * signs up companies and agents through the API of a first server, fills the raw event log by SQL inside PostgreSQL,
 * asks for a rollup rebuild, then starts a second server on the same database, waits until its own code has rebuilt
 * the rollups, and times the company and platform analytics endpoints.
 */
public final class AnalyticsBench {

    static final String USAGE = """
            Usage: AnalyticsBench [--events 10000000] [--companies 20] [--agents-per-company 10] [--runs 30]
                                  [--warmup 5] [--postgres jdbc:postgresql://127.0.0.1:5432/postgres] [--jar PATH]
                                  [--xmx 4g] [--server-env NAME=VALUE,...] [--rebuild-timeout 60] [--analyze] [--keep]
                                  [--reuse]

              --events N              raw analytics events to generate over the last 365 days
              --companies N           companies signed up; the first holds about half of all events
              --agents-per-company N  agents per company, traffic spread over them Zipf-like
              --runs N                timed requests per query, after --warmup untimed ones
              --postgres URL          PostgreSQL server on this machine; the database engage_analytics_bench on it is
                                      dropped and made anew
              --rebuild-timeout MIN   how long to wait for the server's rollup rebuild
              --analyze               VACUUM ANALYZE the analytics tables after the rebuild, before the queries (as
                                      autovacuum would soon after it; without, they are measured as the rebuild left
                                      them, which on a server with autovacuum = off means without statistics)
              --keep                  leave the database when done (to look at it, or for --reuse)
              --reuse                 measure again on the database a --keep run left (no setup, no generation; the
                                      rollups are rebuilt only if analytics_state asks for it); implies --keep
              --server-env A=1        more environment for the server (ENGAGE_ANALYTICS_RAW_RETENTION=400d is set
                                      unless given here, so that the year of raw events is kept)
            """;

    static final String DATABASE = "engage_analytics_bench";
    // fixed credentials, so that --reuse can log in again; the database is a local throw-away
    static final String BIG_EMAIL = "analytics-bench-big@company.example";
    static final String BIG_PASSWORD = "Bench-analytics-company-1";
    static final String ADMIN_PASSWORD = "Perf-analytics-admin-1"; // no "bench": see EngageServer
    static final int DAYS = 365;
    static final double TARGET_MS = 500;
    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(2);

    private AnalyticsBench() {
    }

    public static void main(String[] argv) {
        Args.runMain("AnalyticsBench", () -> run(argv));
    }

    static int run(String[] argv) {
        Args args = Args.parse(argv, Set.of("events", "companies", "agents-per-company", "runs", "warmup", "postgres",
                "jar", "xmx", "server-env", "rebuild-timeout"), Set.of("analyze", "keep", "reuse"), USAGE);
        int events = args.getInt("events", 10_000_000);
        int companies = args.getInt("companies", 20);
        int agentsPerCompany = args.getInt("agents-per-company", 10);
        int runs = args.getInt("runs", 30);
        int warmup = args.getInt("warmup", 5);
        int rebuildTimeout = args.getInt("rebuild-timeout", 60);
        boolean reuse = args.flag("reuse");
        boolean keep = reuse || args.flag("keep");
        if (events < 1000 || companies < 1 || agentsPerCompany < 1 || runs < 1 || warmup < 0 || rebuildTimeout < 1) {
            throw new IllegalArgumentException("invalid option\n\n" + USAGE);
        }
        String postgres = args.get("postgres", "jdbc:postgresql://127.0.0.1:5432/postgres");
        Path jar = EngageServer.findJar(args.get("jar"));
        String xmx = args.get("xmx", "4g");
        Map<String, String> env = serverEnv(EngageServer.parseEnv(args.get("server-env")));

        PerfBench.Report report = new PerfBench.Report("AnalyticsBench");
        report.put("server", EngageServer.jvm(xmx) + ", PostgreSQL database " + DATABASE + ", "
                + env.entrySet().stream()
                .filter(e -> !e.getKey().equals("ENGAGE_ADMIN_PASSWORD") && !e.getKey().equals("ENGAGE_MASTER_KEY"))
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
        EngageServer.PostgresDatabase database = reuse ? EngageServer.PostgresDatabase.named(postgres, DATABASE)
                : EngageServer.PostgresDatabase.recreate(postgres, DATABASE);
        List<Timing> timings;
        try {
            if (!reuse) {
                List<AgentShare> agents = setUp(jar, database, xmx, env, companies, agentsPerCompany, report);
                generate(database, agents, events, report);
            }
            timings = measure(jar, database, xmx, env, runs, warmup, Duration.ofMinutes(rebuildTimeout),
                    args.flag("analyze"), report);
        } finally {
            if (keep) {
                System.out.println("Database " + DATABASE + " kept (drop it with: DROP DATABASE " + DATABASE + ")");
            } else {
                database.drop();
            }
        }
        report.print();
        printTable(timings);
        return 0;
    }

    /** The server's environment for both starts: the caller's --server-env over the bench's defaults. */
    static Map<String, String> serverEnv(Map<String, String> given) {
        Map<String, String> env = new LinkedHashMap<>();
        // the default raw retention (90 days) would start deleting most of the year once the rollups are built
        env.put("ENGAGE_ANALYTICS_RAW_RETENTION", "400d");
        env.putAll(given);
        // both servers (and --reuse runs) must read the same data: one admin password and one master key
        env.put("ENGAGE_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("ENGAGE_MASTER_KEY", Base64.getEncoder().encodeToString(sha256("engage analytics bench")));
        return env;
    }

    // ---- 1. companies and agents, through the API ----

    /** An agent and its share of all traffic; {@code index} in order of creation (0: the big company's biggest). */
    record AgentShare(int index, int company, String companyId, String agentId, double share) {
    }

    static List<AgentShare> setUp(Path jar, EngageServer.PostgresDatabase database, String xmx,
            Map<String, String> env, int companies, int agentsPerCompany, PerfBench.Report report) {
        long start = System.nanoTime();
        Map<String, String> setupEnv = new LinkedHashMap<>(env);
        // the server allows 20 signups per address and hour against abuse
        setupEnv.put("ENGAGE_AUTH_SIGNUPSPERADDRESSPERHOUR", "100000");
        List<AgentShare> agents = new ArrayList<>();
        double[] companyShares = companyShares(companies);
        double[] agentShares = zipf(agentsPerCompany);
        try (EngageServer server = EngageServer.start(jar, database, xmx, setupEnv)) {
            for (int c = 0; c < companies; c++) {
                String name = String.format(Locale.ROOT, "Analytics Bench %02d", c + 1);
                Session company = c == 0
                        ? Session.login(server.http(), server.baseUrl(), "/company/signup", Map.of("companyName",
                                name + " (big)", "email", BIG_EMAIL, "password", BIG_PASSWORD), 201)
                        : server.signupCompany(name);
                String companyId = company.get("/auth/me").path("companyId").asText();
                for (int a = 0; a < agentsPerCompany; a++) {
                    String agentId = company.createAgent(String.format(Locale.ROOT, "Agent %02d", a + 1));
                    agents.add(new AgentShare(agents.size(), c, companyId, agentId, companyShares[c] * agentShares[a]));
                }
            }
        }
        report.put("setup", String.format(Locale.ROOT, "%d companies × %d agents through the API in %.1f s; the big "
                + "company has %.0f %% of the traffic, its first agent %.0f %%", companies, agentsPerCompany,
                seconds(start), 100 * companyShares[0], 100 * agents.get(0).share()));
        return agents;
    }

    /** The first company half of everything (all of it if alone), the others 1/i of the rest. */
    static double[] companyShares(int companies) {
        double[] shares = new double[companies];
        if (companies == 1) {
            shares[0] = 1;
            return shares;
        }
        double[] rest = zipf(companies - 1);
        shares[0] = 0.5;
        for (int i = 1; i < companies; i++) {
            shares[i] = 0.5 * rest[i - 1];
        }
        return shares;
    }

    /** Shares proportional to 1/rank. */
    static double[] zipf(int n) {
        double[] shares = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            shares[i] = 1.0 / (i + 1);
            sum += shares[i];
        }
        for (int i = 0; i < n; i++) {
            shares[i] /= sum;
        }
        return shares;
    }

    // ---- 2. the raw events, by SQL inside PostgreSQL ----

    // shares of --events; widget opens make up the rest (about 35 %)
    static final double CONVERSATIONS = 0.10;
    static final double TURNS_PER_CONVERSATION = 4.0; // 1 + floor(Exp): mean 1 + 1 / (e^(1/3.476) - 1) = 4.0
    static final double FEEDBACK = 0.03;
    static final double LINK_CLICKS = 0.045;
    static final double ENDED = 0.7; // of conversations
    // end-users per agent: drawn with a skew (some return often), so about 70 % of them start a conversation
    static final double END_USERS = 0.065;
    // the hour a generated event falls in is drawn from this many slots, each hour holding slots by its weight
    static final int SLOTS = 1_000_000;

    static final String VERBS = sqlArray("reset", "change", "cancel", "update", "track", "return", "download",
            "upgrade", "connect", "delete", "export", "share", "renew", "activate", "pause", "transfer", "verify",
            "install", "configure", "recover");
    static final String OBJECTS = sqlArray("password", "subscription", "order", "invoice", "account", "plan",
            "address", "payment method", "device", "app", "profile", "delivery", "refund", "warranty",
            "email address", "two-factor login", "team seat", "API key", "data export", "gift card",
            "loyalty points", "booking", "reservation", "shipping label", "membership", "phone number",
            "billing cycle", "notification settings", "license", "support ticket");
    static final String TEMPLATES = sqlArray("How do I {v} my {o}?", "Can I {v} my {o} online?",
            "What happens if I {v} my {o}?", "How long does it take to {v} my {o}?", "Is there a fee to {v} my {o}?");

    /**
     * Conversations over the last 365 days with a daily, weekly and yearly rhythm; their turns (about four each, a
     * Zipf-distributed pick of the agent's 300 canonical questions or, one time in four, a question of its own);
     * votes, link clicks, hand-off requests and conversation ends that follow them; widget opens up to --events.
     * Then the rollups are marked for rebuild.
     */
    static void generate(EngageServer.PostgresDatabase database, List<AgentShare> agents, int events,
            PerfBench.Report report) {
        long start = System.nanoTime();
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant first = end.minus(Duration.ofDays(DAYS));
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("START", "'" + first + "'::timestamptz");
        // conversations start until an hour before now, so their last events are not in the future
        vars.put("HOURS", Integer.toString(DAYS * 24 - 1));
        vars.put("VERBS", VERBS);
        vars.put("OBJECTS", OBJECTS);
        vars.put("TEMPLATES", TEMPLATES);
        System.out.printf("Generating %,d events over %s … %s%n", events, first, end);
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            sql.execute("SET TimeZone = 'UTC'");
            sql.execute("SET synchronous_commit = off");
            sql.execute("SET work_mem = '256MB'");
            sql.execute("SET maintenance_work_mem = '1GB'");
            sql.execute("SET temp_buffers = '1GB'");
            sql.execute("SELECT setseed(0.5)");
            try {
                // no foreign-key checks per row: every company and agent id comes from the agents just created
                sql.execute("SET session_replication_role = replica");
            } catch (SQLException notSuperuser) {
                System.out.println("  (foreign keys checked per row: " + notSuperuser.getMessage() + ")");
            }
            List<String> restore = dropEventIndexes(sql);

            sql.execute("CREATE TEMP TABLE bench_agents (idx INT PRIMARY KEY, company_id UUID NOT NULL, "
                    + "agent_id UUID NOT NULL, extractive BOOLEAN NOT NULL, convs INT NOT NULL, users INT NOT NULL, "
                    + "opens INT NOT NULL DEFAULT 0)");
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO bench_agents (idx, company_id, agent_id, extractive, convs, users) "
                            + "VALUES (?, ?, ?, ?, ?, ?)")) {
                for (AgentShare agent : agents) {
                    insert.setInt(1, agent.index());
                    insert.setObject(2, UUID.fromString(agent.companyId()));
                    insert.setObject(3, UUID.fromString(agent.agentId()));
                    // one agent in four answers with the built-in extractive responder (no tokens, no cost)
                    insert.setBoolean(4, agent.index() % 4 == 3);
                    insert.setInt(5, (int) Math.max(1, Math.round(agent.share() * events * CONVERSATIONS)));
                    insert.setInt(6, (int) Math.max(1, Math.round(agent.share() * events * END_USERS)));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            // weight of each hour: time of day (UTC, peak at 14:00), weekday, growth over the year, a random day factor
            step(sql, "hours", """
                    CREATE TEMP TABLE bench_hours AS
                    SELECT h.i, h.ts, h.w * d.f AS w
                    FROM (SELECT i, ts, date_trunc('day', ts) AS day,
                                 (0.15 + exp(-power(extract(hour FROM ts) - 14, 2) / 18.0))
                                 * CASE extract(isodow FROM ts) WHEN 6 THEN 0.55 WHEN 7 THEN 0.45 ELSE 1.0 END
                                 * (0.6 + 0.8 * i / ${HOURS}.0) AS w
                          FROM (SELECT i, ${START} + i * interval '1 hour' AS ts
                                FROM generate_series(0, ${HOURS} - 1) i) x) h
                    JOIN (SELECT day, 0.8 + 0.4 * random() AS f
                          FROM (SELECT DISTINCT date_trunc('day', ${START} + i * interval '1 hour') AS day
                                FROM generate_series(0, ${HOURS} - 1) i) x
                          OFFSET 0) d ON d.day = h.day""", vars);
            // slot → hour: an hour of weight w holds about SLOTS × w / total consecutive slots
            step(sql, "hour slots", """
                    CREATE TEMP TABLE bench_slots AS
                    SELECT g AS slot, x.ts
                    FROM (SELECT c.ts,
                                 floor(coalesce(lag(c.cum) OVER (ORDER BY c.i), 0) * ${SLOTS} / t.total)::int AS lo,
                                 floor(c.cum * ${SLOTS} / t.total)::int AS hi
                          FROM (SELECT i, ts, sum(w) OVER (ORDER BY i) AS cum FROM bench_hours) c,
                               (SELECT sum(w) AS total FROM bench_hours) t) x,
                         generate_series(x.lo, x.hi - 1) g""", with(vars, "SLOTS", Integer.toString(SLOTS)));
            sql.execute("ANALYZE bench_slots");
            // the slots are 0 … n-1 without a gap (each hour starts where the one before ended)
            vars.put("SLOTS", Long.toString(queryLong(sql, "SELECT count(*) FROM bench_slots")));

            // each conversation: an end-user of its agent (a few return often), a start time, a number of turns
            step(sql, "conversations (staging)", """
                    CREATE TEMP TABLE bench_conv AS
                    SELECT gen_random_uuid() AS id, c.idx, c.company_id, c.agent_id, c.extractive, c.turns,
                           md5(c.agent_id::text || ':' || c.user_no)::uuid AS end_user_id,
                           s.ts + c.jitter * interval '1 hour' AS started_at
                    FROM (SELECT a.idx, a.company_id, a.agent_id, a.extractive,
                                 floor(random() * ${SLOTS})::int AS slot, random() AS jitter,
                                 floor(a.users * power(random(), 2))::int AS user_no,
                                 1 + least(29, floor(-ln(1 - random()) * 3.476))::int AS turns
                          FROM bench_agents a, generate_series(1, a.convs) g
                          OFFSET 0) c
                    JOIN bench_slots s ON s.slot = c.slot""", vars);
            sql.execute("ANALYZE bench_conv");

            long total = 0;
            total += step(sql, "conversation_start", """
                    INSERT INTO analytics_events (id, company_id, agent_id, end_user_id, conversation_id, type,
                        occurred_at)
                    SELECT id, company_id, agent_id, end_user_id, id, 'conversation_start', started_at
                    FROM bench_conv""", vars);
            total += step(sql, "turn", """
                    INSERT INTO analytics_events (id, company_id, agent_id, end_user_id, conversation_id, message_id,
                        type, occurred_at, question, latency_ms, tokens_in, tokens_out, cost_nanos, provider, model,
                        grounded, handoff, gap, fallback, cancelled)
                    SELECT id, company_id, agent_id, end_user_id, conversation_id, id, 'turn', at, question,
                           latency_ms, tokens_in, tokens_out,
                           -- gpt-4o-mini: USD 0.15 / 0.60 per million tokens = 150 / 600 nano-USD per token
                           tokens_in * 150::bigint + tokens_out * 600::bigint,
                           provider, model, NOT (handoff OR gap), handoff, gap, fallback, cancelled
                    FROM (SELECT id, company_id, agent_id, end_user_id, conversation_id, at, handoff, fallback,
                                 cancelled,
                                 -- some canonical questions (1 in 13) are not in the knowledge; the long tail often
                                 NOT handoff AND r_gap < CASE WHEN long_tail THEN 0.25
                                                              WHEN mod(q, 13) = 7 THEN 0.9 ELSE 0.05 END AS gap,
                                 -- canonical: the rank, shuffled per agent, picks template, verb and object
                                 CASE WHEN NOT long_tail THEN
                                     replace(replace((${TEMPLATES})[1 + mod(p, 5)],
                                         '{v}', (${VERBS})[1 + mod(p / 5, 20)]),
                                         '{o}', (${OBJECTS})[1 + mod((p / 100) * 10 + mod(p / 5, 20) / 2 + idx, 30)])
                                 ELSE CASE shape
                                     WHEN 0 THEN 'Where is my order #' || ref || '?'
                                     WHEN 1 THEN 'I was charged twice for my ' || (${OBJECTS})[1 + lt_o]
                                                 || ', transaction ' || ref
                                     WHEN 2 THEN 'Error ' || mod(ref, 100000) || ' when I try to '
                                                 || (${VERBS})[1 + lt_v] || ' my ' || (${OBJECTS})[1 + lt_o]
                                     ELSE 'Can you look at ticket ' || ref || ' about my ' || (${OBJECTS})[1 + lt_o]
                                          || '?' END
                                 END AS question,
                                 CASE WHEN extractive OR fallback THEN 'extractive' ELSE 'openai' END AS provider,
                                 CASE WHEN extractive OR fallback THEN 'extractive' ELSE 'gpt-4o-mini' END AS model,
                                 -- log-normal latencies: median 330 ms with the model, 60 ms extractive
                                 round(exp(CASE WHEN extractive OR fallback THEN ln(60) + 0.4 * z1
                                                ELSE ln(330) + 0.5 * z1 END))::int AS latency_ms,
                                 -- the prompt grows with the conversation: about 800 tokens in on average
                                 CASE WHEN extractive OR fallback THEN 0
                                      ELSE round((450 + 90 * k) * exp(0.25 * z2))::int END AS tokens_in,
                                 CASE WHEN extractive OR fallback THEN 0 ELSE round(150 * exp(0.35 * z3))::int END
                                     AS tokens_out
                          FROM (SELECT gen_random_uuid() AS id, c.company_id, c.agent_id, c.end_user_id,
                                       c.id AS conversation_id, c.idx, c.extractive, k,
                                       c.started_at + (k * 25 + random() * 20 - 10) * interval '1 second' AS at,
                                       random() < 0.25 AS long_tail,
                                       -- rank 0 … 299 with P(rank) ~ 1 / (rank + 1.5): Zipf
                                       floor(exp(random() * ln(300.999)))::int - 1 AS q,
                                       floor(random() * 4)::int AS shape, floor(random() * 1e9)::bigint AS ref,
                                       floor(random() * 30)::int AS lt_o, floor(random() * 20)::int AS lt_v,
                                       random() < 0.02 AS handoff, random() AS r_gap,
                                       NOT c.extractive AND random() < 0.01 AS fallback,
                                       random() < 0.005 AS cancelled,
                                       sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z1,
                                       sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z2,
                                       sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z3
                                FROM bench_conv c, generate_series(1, c.turns) k
                                OFFSET 0) r,
                               -- 37 is prime to 300: a bijection of 0 … 299, so each agent has 300 questions
                               LATERAL (SELECT mod(r.q * 37 + r.idx * 11, 300) AS p) shuffled) t""", vars);
            long turns = queryLong(sql, "SELECT sum(turns) FROM bench_conv");
            long grounded = queryLong(sql, "SELECT count(*) FROM analytics_events WHERE type = 'turn' AND grounded");
            vars.put("FEEDBACK_RATE", rate(events * FEEDBACK, turns));
            vars.put("LINK_RATE", rate(events * LINK_CLICKS, grounded));
            total += step(sql, "feedback", """
                    INSERT INTO analytics_events (id, company_id, agent_id, end_user_id, conversation_id, message_id,
                        type, occurred_at, score)
                    SELECT gen_random_uuid(), company_id, agent_id, end_user_id, conversation_id, message_id,
                           'feedback', occurred_at + (5 + random() * 115) * interval '1 second',
                           CASE WHEN random() < CASE WHEN grounded THEN 0.85 ELSE 0.3 END THEN 1 ELSE -1 END
                    FROM analytics_events
                    WHERE type = 'turn' AND random() < ${FEEDBACK_RATE}""", vars);
            total += step(sql, "link_clicked", """
                    INSERT INTO analytics_events (id, company_id, agent_id, end_user_id, conversation_id, message_id,
                        type, occurred_at, event_value)
                    SELECT gen_random_uuid(), company_id, agent_id, end_user_id, conversation_id, message_id,
                           'link_clicked', occurred_at + (3 + random() * 60) * interval '1 second',
                           'https://help.example.com/articles/' || (1 + mod(abs(hashtext(question)), 400))
                    FROM analytics_events
                    WHERE type = 'turn' AND grounded AND random() < ${LINK_RATE}""", vars);
            total += step(sql, "handoff_requested", """
                    INSERT INTO analytics_events (id, company_id, agent_id, end_user_id, conversation_id, type,
                        occurred_at)
                    SELECT gen_random_uuid(), company_id, agent_id, end_user_id, conversation_id,
                           'handoff_requested', occurred_at + interval '2 seconds'
                    FROM analytics_events
                    WHERE type = 'turn' AND handoff""", vars);
            total += step(sql, "conversation_end", """
                    INSERT INTO analytics_events (id, company_id, agent_id, end_user_id, conversation_id, type,
                        occurred_at)
                    SELECT gen_random_uuid(), company_id, agent_id, end_user_id, id, 'conversation_end',
                           started_at + (turns * 25 + 60 + random() * 240) * interval '1 second'
                    FROM bench_conv
                    WHERE random() < ${ENDED}""", with(vars, "ENDED", Double.toString(ENDED)));
            long opens = spreadOpens(connection, agents, events - total);
            if (opens > 0) {
                // half of the visitors who open the widget are known end-users of the agent
                total += step(sql, "widget_open", """
                        INSERT INTO analytics_events (id, company_id, agent_id, end_user_id, type, occurred_at)
                        SELECT gen_random_uuid(), o.company_id, o.agent_id,
                               CASE WHEN o.known THEN md5(o.agent_id::text || ':' || o.user_no)::uuid END,
                               'widget_open', s.ts + o.jitter * interval '1 hour'
                        FROM (SELECT a.company_id, a.agent_id, floor(random() * ${SLOTS})::int AS slot,
                                     random() AS jitter, random() < 0.5 AS known,
                                     floor(a.users * power(random(), 2))::int AS user_no
                              FROM bench_agents a, generate_series(1, a.opens) g
                              OFFSET 0) o
                        JOIN bench_slots s ON s.slot = o.slot""", vars);
            }
            long loaded = System.nanoTime();
            restoreEventIndexes(sql, restore);
            long indexed = System.nanoTime();
            if (sql.executeUpdate("UPDATE analytics_state SET rebuild_requested = TRUE WHERE id = 1") == 0) {
                sql.executeUpdate("INSERT INTO analytics_state (id, rebuild_requested) VALUES (1, TRUE)");
            }
            sql.execute("RESET session_replication_role");
            sql.execute("DROP TABLE bench_conv, bench_slots, bench_hours, bench_agents");
            step(sql, "VACUUM ANALYZE", "VACUUM ANALYZE", vars);
            report.put("generation", String.format(Locale.ROOT, "%,d events in %.0f s (rows %.0f s, indexes of "
                    + "analytics_events %.0f s, VACUUM ANALYZE %.0f s)", total, seconds(start),
                    (loaded - start) / 1e9, (indexed - loaded) / 1e9, (System.nanoTime() - indexed) / 1e9));
        } catch (SQLException e) {
            throw new IllegalStateException("generating the events failed: " + e.getMessage(), e);
        }
    }

    /** Widget opens per agent by its share; rounding leftovers go to the biggest agent. */
    private static long spreadOpens(Connection connection, List<AgentShare> agents, long opens) throws SQLException {
        if (opens <= 0) {
            System.out.printf("  no room for widget opens (%,d over --events)%n", -opens);
            return 0;
        }
        long[] counts = new long[agents.size()];
        long assigned = 0;
        for (AgentShare agent : agents) {
            counts[agent.index()] = (long) Math.floor(opens * agent.share());
            assigned += counts[agent.index()];
        }
        counts[0] += opens - assigned;
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE bench_agents SET opens = ? WHERE idx = ?")) {
            for (int i = 0; i < counts.length; i++) {
                update.setLong(1, counts[i]);
                update.setInt(2, i);
                update.addBatch();
            }
            update.executeBatch();
        }
        return opens;
    }

    /**
     * Drops the indexes (and the primary key, unless something references it) of analytics_events before the load,
     * which then appends rows instead of updating four B-trees at random places; returns the statements that make
     * them again, taken from the catalog so they follow the migration as it is.
     */
    private static List<String> dropEventIndexes(Statement sql) throws SQLException {
        List<String[]> found = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery("""
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname,
                       pg_get_constraintdef(c.oid),
                       EXISTS (SELECT 1 FROM pg_constraint f WHERE f.confrelid = i.indrelid)
                FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
                WHERE i.indrelid = 'analytics_events'::regclass""")) {
            while (rows.next()) {
                boolean referenced = rows.getBoolean(5);
                if (rows.getString(3) == null) {
                    found.add(new String[] {"DROP INDEX " + rows.getString(1), rows.getString(2)});
                } else if (!referenced) {
                    found.add(new String[] {"ALTER TABLE analytics_events DROP CONSTRAINT " + rows.getString(3),
                            "ALTER TABLE analytics_events ADD CONSTRAINT " + rows.getString(3) + " "
                                    + rows.getString(4)});
                }
            }
        }
        if (queryLong(sql, "SELECT count(*) FROM analytics_events") > 0) {
            throw new IllegalStateException("analytics_events is not empty in the fresh database");
        }
        List<String> restore = new ArrayList<>();
        for (String[] index : found) {
            sql.execute(index[0]);
            restore.add(index[1]);
        }
        return restore;
    }

    private static void restoreEventIndexes(Statement sql, List<String> restore) throws SQLException {
        for (String statement : restore) {
            long start = System.nanoTime();
            sql.execute(statement);
            System.out.printf("  %-60s %6.1f s%n", Http.abbreviate(statement, 60), seconds(start));
        }
    }

    private static long step(Statement sql, String label, String template, Map<String, String> vars)
            throws SQLException {
        long start = System.nanoTime();
        sql.execute(bind(template, vars));
        long rows = Math.max(0, sql.getLargeUpdateCount());
        System.out.printf(Locale.ROOT, "  %-28s %,12d rows %8.1f s%n", label, rows, seconds(start));
        return rows;
    }

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Z_]+)}");

    /** {@code ${NAME}} → its value (numbers and SQL literals made here, never input). */
    static String bind(String template, Map<String, String> vars) {
        Matcher matcher = VAR.matcher(template);
        StringBuilder sql = new StringBuilder();
        while (matcher.find()) {
            String value = vars.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for ${" + matcher.group(1) + "}");
            }
            matcher.appendReplacement(sql, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(sql).toString();
    }

    private static Map<String, String> with(Map<String, String> vars, String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(vars);
        more.put(name, value);
        return more;
    }

    private static String rate(double wanted, long of) {
        return String.format(Locale.ROOT, "%.6f", of == 0 ? 0 : Math.min(1, wanted / of));
    }

    static String sqlArray(String... values) {
        StringJoiner array = new StringJoiner(", ", "ARRAY[", "]");
        for (String value : values) {
            array.add("'" + value.replace("'", "''") + "'");
        }
        return array.toString();
    }

    // ---- 3. the server's rebuild, then the analytics endpoints ----

    /** One analytics request as the portal would make it. */
    record Query(String name, Session session, String path) {
    }

    /** Latencies of one query (sorted, ms), its first (cold) call, and the last response. */
    record Timing(Query query, double[] sortedMs, double firstMs, int bytes, JsonNode last) {

        double p(double percentile) {
            return Metrics.percentile(sortedMs, percentile);
        }

        double max() {
            return sortedMs[sortedMs.length - 1];
        }
    }

    static List<Timing> measure(Path jar, EngageServer.PostgresDatabase database, String xmx, Map<String, String> env,
            int runs, int warmup, Duration rebuildTimeout, boolean analyze, PerfBench.Report report) {
        long start = System.nanoTime();
        try (EngageServer server = EngageServer.start(jar, database, xmx, env);
                Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            awaitRebuild(server, sql, start, rebuildTimeout, report);
            report.memory("after the rebuild", server);
            if (analyze) {
                long vacuum = System.nanoTime();
                for (String table : analyticsTables(sql)) {
                    sql.execute("VACUUM ANALYZE " + table);
                }
                report.put("VACUUM ANALYZE", String.format(Locale.ROOT, "analytics tables in %.1f s", seconds(vacuum)));
            }
            report.put("statistics", statistics(sql));

            Session company = Session.login(server.http(), server.baseUrl(), "/company/login",
                    Map.of("email", BIG_EMAIL, "password", BIG_PASSWORD), 200);
            Session admin = server.adminLogin();
            String companyId = company.get("/auth/me").path("companyId").asText();
            String agentId = queryString(sql, "SELECT id FROM agents WHERE company_id = '" + UUID.fromString(companyId)
                    + "' ORDER BY name LIMIT 1");

            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            String year = "from=" + today.minusDays(DAYS) + "&to=" + today;
            List<Query> queries = List.of(
                    new Query("company, 365 days by day", company, "/company/analytics?" + year),
                    new Query("company, 365 days, one agent", company, "/company/analytics?" + year + "&agentId="
                            + agentId),
                    new Query("company, 30 days by hour", company, "/company/analytics?from=" + today.minusDays(30)
                            + "&to=" + today + "&interval=hour"),
                    new Query("admin, 365 days by day", admin, "/admin/analytics?" + year));
            List<Timing> timings = new ArrayList<>();
            for (Query query : queries) {
                Timing timing = time(query, warmup, runs);
                timings.add(timing);
                report.put(query.name(), String.format(Locale.ROOT, "p50 %.1f ms, p95 %.1f ms, max %.1f ms, first "
                        + "%.1f ms, %,d bytes — %s", timing.p(50), timing.p(95), timing.max(), timing.firstMs(),
                        timing.bytes(), headline(timing.last())));
                System.out.println("    GET " + query.path());
            }
            report.memory("after the queries", server);
            // after the queries, so that these scans do not warm the cache for the first (cold) calls
            report.put("big company", companyId + String.format(Locale.ROOT, " (%,d events), agent %s (%,d events)",
                    queryLong(sql, "SELECT count(*) FROM analytics_events WHERE company_id = '" + companyId + "'"),
                    agentId, queryLong(sql, "SELECT count(*) FROM analytics_events WHERE agent_id = '" + agentId
                            + "'")));
            describeData(sql, report);
            report.put("server log", server.logSummary());
            return timings;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Waits until analytics_state no longer asks for a rebuild (the server clears it when its rebuild commits). */
    private static void awaitRebuild(EngageServer server, Statement sql, long start, Duration timeout,
            PerfBench.Report report) throws SQLException {
        String state = "SELECT rebuild_requested FROM analytics_state WHERE id = 1";
        if (!queryBoolean(sql, state)) {
            report.put("rebuild", "not requested (the rollups are as a previous run left them)");
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (queryBoolean(sql, state)) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited during the rebuild:\n" + server.logTail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the rollups were not rebuilt within " + timeout.toMinutes()
                        + " min; last lines of the log:\n" + server.logTail(20));
            }
            if (System.nanoTime() > nextReport) {
                System.out.printf("  … rebuilding, %.0f s since the server was started, RSS %s%n", seconds(start),
                        EngageServer.formatBytes(server.rssBytes()));
                nextReport = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            }
            EngageServer.sleep(500);
        }
        String logged = server.logTail(Integer.MAX_VALUE).lines().filter(l -> l.contains("Analytics rollups rebuilt"))
                .reduce((a, b) -> b).map(l -> l.substring(l.indexOf("Analytics rollups rebuilt")))
                .orElse("no log line");
        report.put("rebuild", String.format(Locale.ROOT, "done %.1f s after the server was started (JVM start "
                + "included); server: %s", seconds(start), logged));
    }

    /** The server's tables of analytics (analytics_events and everything derived from it). */
    private static List<String> analyticsTables(Statement sql) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = current_schema() AND table_name LIKE 'analytics\\_%' ORDER BY table_name")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    /**
     * Whether the planner has statistics of the derived tables (analyzed after their last write): right after a
     * rebuild they have none until autovacuum, or an ANALYZE of the server's, gets to them.
     */
    private static String statistics(Statement sql) throws SQLException {
        StringJoiner tables = new StringJoiner(", ");
        try (ResultSet rows = sql.executeQuery("""
                SELECT relname, greatest(last_analyze, last_autoanalyze) IS NOT NULL AND n_mod_since_analyze = 0
                FROM pg_stat_user_tables WHERE relname LIKE 'analytics\\_%' AND relname <> 'analytics_events'
                  AND n_live_tup > 0 ORDER BY relname""")) {
            while (rows.next()) {
                tables.add(rows.getString(1) + (rows.getBoolean(2) ? " analyzed" : " NOT analyzed since written"));
            }
        }
        return "autovacuum " + queryString(sql, "SHOW autovacuum") + "; " + tables;
    }

    /** Raw events by type, rows of the derived tables (by grain where they have one), sizes. */
    private static void describeData(Statement sql, PerfBench.Report report) throws SQLException {
        StringJoiner types = new StringJoiner(", ");
        long total = 0;
        try (ResultSet rows = sql.executeQuery("SELECT type, count(*) FROM analytics_events GROUP BY type "
                + "ORDER BY 2 DESC")) {
            while (rows.next()) {
                types.add(String.format(Locale.ROOT, "%s %,d", rows.getString(1), rows.getLong(2)));
                total += rows.getLong(2);
            }
        }
        report.put("raw events", String.format(Locale.ROOT, "%,d (%s)", total, types));
        List<String[]> tables = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery("""
                SELECT t.table_name, EXISTS (SELECT 1 FROM information_schema.columns c
                                             WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name
                                               AND c.column_name = 'grain'),
                       pg_size_pretty(pg_total_relation_size(quote_ident(t.table_name)))
                FROM information_schema.tables t
                WHERE t.table_schema = current_schema() AND t.table_name LIKE 'analytics\\_%'
                ORDER BY t.table_name""")) {
            while (rows.next()) {
                tables.add(new String[] {rows.getString(1), Boolean.toString(rows.getBoolean(2)), rows.getString(3)});
            }
        }
        for (String[] table : tables) {
            String name = table[0];
            String rows;
            if (Boolean.parseBoolean(table[1])) {
                StringJoiner grains = new StringJoiner(", ");
                try (ResultSet r = sql.executeQuery("SELECT grain, count(*) FROM " + name + " GROUP BY grain "
                        + "ORDER BY grain DESC")) {
                    while (r.next()) {
                        grains.add(String.format(Locale.ROOT, "%s %,d", r.getString(1), r.getLong(2)));
                    }
                }
                rows = grains.length() == 0 ? "0" : grains.toString();
            } else {
                rows = String.format(Locale.ROOT, "%,d", queryLong(sql, "SELECT count(*) FROM " + name));
            }
            report.put("rows " + name, rows + " (" + table[2] + " with indexes)");
        }
        report.put("database size", queryString(sql, "SELECT pg_size_pretty(pg_database_size(current_database()))"));
    }

    private static Timing time(Query query, int warmup, int runs) {
        System.out.printf("%s: %d warm-up + %d timed requests%n", query.name(), warmup, runs);
        double[] ms = new double[runs];
        double first = Double.NaN;
        JsonNode last = null;
        for (int i = 0; i < warmup + runs; i++) {
            long start = System.nanoTime();
            last = query.session().call("GET", query.path(), null, QUERY_TIMEOUT, 200);
            double elapsed = (System.nanoTime() - start) / 1e6;
            if (i == 0) {
                first = elapsed;
            }
            if (i >= warmup) {
                ms[i - warmup] = elapsed;
            }
        }
        java.util.Arrays.sort(ms);
        return new Timing(query, ms, first, last.toString().getBytes(StandardCharsets.UTF_8).length, last);
    }

    /**
     * The response's headline figures without knowing its layout: the length of its arrays, then the numbers at its
     * top level and in the objects there.
     */
    static String headline(JsonNode response) {
        StringJoiner arrays = new StringJoiner(", ");
        StringJoiner numbers = new StringJoiner(", ");
        collect(response, "", 0, arrays, numbers);
        return Http.abbreviate(arrays + "; " + numbers, 500);
    }

    private static void collect(JsonNode node, String prefix, int depth, StringJoiner arrays, StringJoiner numbers) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            String name = prefix + field.getKey();
            if (value.isArray()) {
                arrays.add(name + "[" + value.size() + "]");
            } else if (value.isObject() && depth < 1) {
                collect(value, name + ".", depth + 1, arrays, numbers);
            } else if (value.isNumber()) {
                numbers.add(name + " " + (value.isIntegralNumber() ? String.format(Locale.ROOT, "%,d",
                        value.asLong()) : String.format(Locale.ROOT, "%.3f", value.asDouble())));
            }
        }
    }

    private static void printTable(List<Timing> timings) {
        StringBuilder md = new StringBuilder("\n| query | p50 ms | p95 ms | max ms | first ms | bytes | p95 < "
                + (int) TARGET_MS + " ms |\n|---|---|---|---|---|---|---|\n");
        for (Timing t : timings) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %,d | %s |%n", t.query().name(),
                    t.p(50), t.p(95), t.max(), t.firstMs(), t.bytes(), t.p(95) < TARGET_MS ? "✓" : "✗"));
        }
        System.out.print(md);
    }

    // ---- helpers ----

    private static long queryLong(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static boolean queryBoolean(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    private static String queryString(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
