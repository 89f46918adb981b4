package io.engage.bench;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Retrieval quality of Engage's search (keyword, vector and hybrid modes, over HTTP against a fresh server) next to a
 * naive LangChain4j RAG baseline run in-process, on a BEIR-style dataset: nDCG@10 and Recall@5.
 */
public final class RetrievalEval {

    static final String USAGE = """
            Usage: RetrievalEval --data DIR [--limit-queries N] [--postgres JDBC_URL] [--jar PATH] [--xmx 4g]
                                 [--server-env NAME=VALUE,...]
                                 [--skip-baseline | --baseline-only] [--per-query]

              --data DIR           BEIR-style dataset: corpus.jsonl, queries.jsonl, qrels/test.tsv (or qrels.tsv)
              --limit-queries N    evaluate only the first N judged queries
              --postgres URL       run the server on a fresh database on this PostgreSQL server
                                   (e.g. jdbc:postgresql://127.0.0.1:5432/postgres; user postgres or $PGUSER,
                                   password $PGPASSWORD); the database is dropped afterwards
              --jar PATH           server jar (default server/target/engage.jar)
              --xmx SIZE           server heap (default 4g)
              --server-env A=1,B=2 more environment for the server, e.g. ENGAGE_EMBEDDING_MODEL=all-minilm-l6-v2
              --skip-baseline      do not run the in-process LangChain4j baseline
              --baseline-only      run only the baseline (no server)
              --per-query          also print each query's nDCG@10 and first three documents per system
            """;

    static final int K = 10;
    /** The server accepts JSON bodies up to 1 MiB; keep a margin. */
    static final int MAX_BODY_BYTES = 1_000_000;
    static final int MAX_SYNC_DOCUMENTS = 1000;
    static final String[] MODES = {"keyword", "vector", "hybrid"};
    static final int BASELINE_SEGMENT_CHARS = 300;
    static final int BASELINE_OVERLAP_CHARS = 0;

    private RetrievalEval() {
    }

    public static void main(String[] argv) {
        Args.runMain("RetrievalEval", () -> run(argv));
    }

    record Row(String system, double ndcg10, double recall5, int queries, String note, Map<String, String> perQuery) {
    }

    static int run(String[] argv) {
        Args args = Args.parse(argv, Set.of("data", "limit-queries", "postgres", "jar", "xmx", "server-env"),
                Set.of("skip-baseline", "baseline-only", "per-query"), USAGE);
        if (args.get("data") == null) {
            throw new IllegalArgumentException("--data is required\n\n" + USAGE);
        }
        Path dir = Path.of(args.get("data"));
        if (!Files.isDirectory(dir)) {
            System.err.println("Data directory " + dir.toAbsolutePath() + " does not exist. Pass a BEIR-style "
                    + "dataset (corpus.jsonl, queries.jsonl, qrels/test.tsv), e.g. --data bench/data/sample.");
            return 2;
        }
        BeirDataset data = BeirDataset.load(dir);
        int limit = args.getInt("limit-queries", Integer.MAX_VALUE);
        List<BeirDataset.Query> queries = data.queries.subList(0, Math.min(limit, data.queries.size()));
        System.out.printf("Dataset %s: %d documents, %d judged queries (%d evaluated), qrels %s%n", dir,
                data.corpus.size(), data.queries.size(), queries.size(), dir.relativize(data.qrelsFile));
        if (queries.isEmpty()) {
            throw new IllegalArgumentException("no query of " + dir + " has a relevant document in the corpus");
        }

        List<Row> rows = new ArrayList<>();
        if (!args.flag("baseline-only")) {
            evaluateEngage(args, data, queries, rows);
        }
        if (!args.flag("skip-baseline")) {
            rows.add(evaluateBaseline(queries, data));
        }
        if (args.flag("per-query")) {
            printPerQuery(rows, queries);
        }
        printTable(rows, data, queries.size());
        return 0;
    }

    // ---- Engage ----

    static void evaluateEngage(Args args, BeirDataset data, List<BeirDataset.Query> queries, List<Row> rows) {
        Path jar = EngageServer.findJar(args.get("jar"));
        try (EngageServer server = EngageServer.start(jar, args.get("postgres"), args.get("xmx", "4g"),
                EngageServer.parseEnv(args.get("server-env")))) {
            Session company = server.signupCompany("Bench");
            String agentId = company.createAgent("RetrievalEval");
            Map<String, String> sourceToDoc = ingest(company, agentId, data);
            // the first search builds the agent's in-memory index: keep it out of the per-mode latencies
            long first = System.nanoTime();
            company.search(agentId, "warm-up " + queries.get(0).text(), K, "hybrid");
            System.out.printf("First search (builds the index): %.0f ms%n", (System.nanoTime() - first) / 1e6);
            for (String mode : MODES) {
                rows.add(evaluateEngage(company, agentId, mode, queries, data, sourceToDoc));
            }
            System.out.printf("Server RSS after the evaluation: %s, heap used %s%n",
                    EngageServer.formatBytes(server.rssBytes()), EngageServer.formatBytes(server.heapUsedBytes()));
        }
    }

    /** Posts the corpus to the agent, waits until every source is settled; returns source id → document id. */
    static Map<String, String> ingest(Session company, String agentId, BeirDataset data) {
        List<Session.Doc> docs = new ArrayList<>();
        List<String> docIds = new ArrayList<>();
        int skipped = 0;
        int truncated = 0;
        for (BeirDataset.Document document : data.corpus.values()) {
            String content = document.text().isBlank() ? document.title() : document.text();
            if (content.isBlank()) {
                skipped++;
                continue;
            }
            String title = document.title().length() > 500 ? document.title().substring(0, 500) : document.title();
            String externalId = document.id().length() > 500 ? "doc-" + docIds.size() : document.id();
            Session.Doc doc = fitBody(new Session.Doc(externalId, title, content));
            if (doc.content().length() < content.length()) {
                truncated++;
            }
            docs.add(doc);
            docIds.add(document.id());
        }
        List<Map<String, Object>> syncBodies = docs.stream().map(Session.Doc::syncBody).toList();
        boolean oneSync = docs.size() <= MAX_SYNC_DOCUMENTS
                && Http.toJsonBytes(Map.of("documents", syncBodies)).length <= MAX_BODY_BYTES;
        System.out.printf("Ingesting %d documents (%s)%s%s%n", docs.size(),
                oneSync ? "one PUT /rag/agents/{id}/knowledge full sync"
                        : "POST /company/agents/{id}/knowledge per document, background ingestion",
                skipped > 0 ? ", " + skipped + " empty documents skipped" : "",
                truncated > 0 ? ", " + truncated + " documents truncated to fit the 1 MB request limit" : "");

        Map<String, String> sourceToDoc = new HashMap<>();
        long start = System.nanoTime();
        if (oneSync) {
            List<String> sourceIds = company.sync(agentId, docs);
            for (int i = 0; i < sourceIds.size(); i++) {
                sourceToDoc.put(sourceIds.get(i), docIds.get(i));
            }
        } else {
            long nextReport = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            for (int i = 0; i < docs.size(); i++) {
                sourceToDoc.put(company.add(agentId, docs.get(i)), docIds.get(i));
                if (System.nanoTime() > nextReport) {
                    System.out.printf("  … %d/%d documents posted%n", i + 1, docs.size());
                    nextReport = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                }
            }
        }
        Map<String, Session.SourceState> states = company.awaitSettled(agentId, sourceToDoc.size(),
                Duration.ofHours(6));
        double seconds = (System.nanoTime() - start) / 1e9;
        long chunks = 0;
        int failed = 0;
        List<String> failures = new ArrayList<>();
        for (Session.SourceState state : states.values()) {
            chunks += state.chunkCount();
            if ("failed".equals(state.status())) {
                failed++;
                if (failures.size() < 5) {
                    failures.add(sourceToDoc.get(state.id()) + ": " + state.error());
                }
            }
        }
        System.out.printf("Ingestion: %d documents, %d chunks, %.1f s from first post to all ready, %.1f chunks/s"
                + "%s%n", states.size(), chunks, seconds, chunks / seconds,
                failed > 0 ? ", " + failed + " FAILED (e.g. " + failures + ")" : "");
        return sourceToDoc;
    }

    /** The document with its content cut so that its request body stays under the server's 1 MB limit. */
    static Session.Doc fitBody(Session.Doc doc) {
        Session.Doc fitted = doc;
        int bytes = Http.toJsonBytes(fitted.addBody()).length;
        while (bytes > MAX_BODY_BYTES) {
            String content = fitted.content();
            int keep = (int) (content.length() * (MAX_BODY_BYTES / (double) bytes) * 0.97);
            fitted = new Session.Doc(doc.externalId(), doc.title(), content.substring(0, Math.max(1, keep)));
            bytes = Http.toJsonBytes(fitted.addBody()).length;
        }
        return fitted;
    }

    static Row evaluateEngage(Session company, String agentId, String mode, List<BeirDataset.Query> queries,
            BeirDataset data, Map<String, String> sourceToDoc) {
        Metrics.Accumulator metrics = new Metrics.Accumulator();
        long totalNanos = 0;
        int unknown = 0;
        for (BeirDataset.Query query : queries) {
            String text = query.text().length() > 2000 ? query.text().substring(0, 2000) : query.text();
            if (text.isBlank()) {
                metrics.add(query.id(), List.of(), data.qrels.get(query.id()));
                continue;
            }
            long start = System.nanoTime();
            List<Session.Hit> hits = company.search(agentId, text, K, mode);
            totalNanos += System.nanoTime() - start;
            List<String> ranked = new ArrayList<>();
            for (Session.Hit hit : hits) {
                String docId = sourceToDoc.get(hit.sourceId());
                if (docId == null) {
                    unknown++;
                } else {
                    ranked.add(docId);
                }
            }
            metrics.add(query.id(), ranked, data.qrels.get(query.id()));
        }
        String system = "Engage " + mode + switch (mode) {
            case "keyword" -> " (BM25 only)";
            case "vector" -> " (dense only)";
            default -> " (BM25 + dense, fused)";
        };
        System.out.printf("%-38s nDCG@10 %.4f  Recall@5 %.4f  (%d queries, mean %.1f ms/search over HTTP%s)%n",
                system, metrics.ndcg10(), metrics.recall5(), metrics.queries(),
                totalNanos / 1e6 / Math.max(1, queries.size()),
                unknown > 0 ? ", " + unknown + " hits from unknown sources" : "");
        return new Row(system, metrics.ndcg10(), metrics.recall5(), metrics.queries(), null, metrics.perQuery);
    }

    // ---- baseline ----

    /**
     * LangChain4j's naive RAG as its tutorials set it up: recursive splitter of 300 characters without overlap,
     * all-MiniLM-L6-v2, the in-memory store and EmbeddingStoreContentRetriever with 10 results (no minimum score).
     * Documents are "title\ntext"; each segment carries its document's id in its metadata.
     */
    static Row evaluateBaseline(List<BeirDataset.Query> queries, BeirDataset data) {
        System.out.printf("Baseline: LangChain4j DocumentSplitters.recursive(%d, %d), AllMiniLmL6V2EmbeddingModel, "
                + "InMemoryEmbeddingStore, EmbeddingStoreContentRetriever maxResults(%d), in-process%n",
                BASELINE_SEGMENT_CHARS, BASELINE_OVERLAP_CHARS, K);
        EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        DocumentSplitter splitter = DocumentSplitters.recursive(BASELINE_SEGMENT_CHARS, BASELINE_OVERLAP_CHARS);
        // what EmbeddingStoreIngestor does (split, embed, add), spelled out to count segments and show progress
        long start = System.nanoTime();
        long segments = 0;
        int documents = 0;
        long nextReport = start + Duration.ofSeconds(15).toNanos();
        List<Document> batch = new ArrayList<>();
        for (BeirDataset.Document document : data.corpus.values()) {
            String text = document.title().isBlank() ? document.text()
                    : document.text().isBlank() ? document.title() : document.title() + "\n" + document.text();
            if (text.isBlank()) {
                continue;
            }
            batch.add(Document.from(text, Metadata.from("doc_id", document.id())));
            if (batch.size() == 256) {
                segments += embed(batch, splitter, model, store);
                documents += batch.size();
                batch.clear();
                if (System.nanoTime() > nextReport) {
                    System.out.printf("  … %d/%d documents embedded%n", documents, data.corpus.size());
                    nextReport = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                }
            }
        }
        segments += embed(batch, splitter, model, store);
        documents += batch.size();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Baseline ingestion: %d documents, %d segments, %.1f s, %.1f segments/s (in-process, no "
                + "HTTP, no database)%n", documents, segments, seconds, segments / seconds);

        ContentRetriever retriever = EmbeddingStoreContentRetriever.builder()
                .embeddingStore(store)
                .embeddingModel(model)
                .maxResults(K)
                .build();
        Metrics.Accumulator metrics = new Metrics.Accumulator();
        long searchStart = System.nanoTime();
        for (BeirDataset.Query query : queries) {
            List<String> ranked = new ArrayList<>();
            if (!query.text().isBlank()) {
                for (Content content : retriever.retrieve(Query.from(query.text()))) {
                    ranked.add(content.textSegment().metadata().getString("doc_id"));
                }
            }
            metrics.add(query.id(), ranked, data.qrels.get(query.id()));
        }
        String system = "Baseline LangChain4j naive RAG";
        System.out.printf("%-38s nDCG@10 %.4f  Recall@5 %.4f  (%d queries, mean %.1f ms/search in-process)%n",
                system, metrics.ndcg10(), metrics.recall5(), metrics.queries(),
                (System.nanoTime() - searchStart) / 1e6 / Math.max(1, queries.size()));
        return new Row(system, metrics.ndcg10(), metrics.recall5(), metrics.queries(),
                "recursive(" + BASELINE_SEGMENT_CHARS + ", " + BASELINE_OVERLAP_CHARS + ") chars, all-MiniLM-L6-v2, "
                        + "in-memory store, top " + K, metrics.perQuery);
    }

    private static int embed(List<Document> documents, DocumentSplitter splitter, EmbeddingModel model,
            InMemoryEmbeddingStore<TextSegment> store) {
        if (documents.isEmpty()) {
            return 0;
        }
        List<TextSegment> segments = splitter.splitAll(documents);
        List<Embedding> embeddings = model.embedAll(segments).content();
        store.addAll(embeddings, segments);
        return segments.size();
    }

    // ---- output ----

    static void printPerQuery(List<Row> rows, List<BeirDataset.Query> queries) {
        System.out.println();
        System.out.println("Per query: nDCG@10 [first three distinct documents]");
        for (BeirDataset.Query query : queries) {
            System.out.printf("%s  %s%n", query.id(), Http.abbreviate(query.text(), 100));
            for (Row row : rows) {
                System.out.printf("    %-38s %s%n", row.system(), row.perQuery().get(query.id()));
            }
        }
    }

    static void printTable(List<Row> rows, BeirDataset data, int queries) {
        int width = Math.max(6, rows.stream().mapToInt(r -> r.system().length()).max().orElse(6));
        System.out.println();
        System.out.printf("%-" + width + "s  %8s  %8s  %7s%n", "system", "nDCG@10", "Recall@5", "queries");
        System.out.println("-".repeat(width + 31));
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "%-" + width + "s  %8.4f  %8.4f  %7d%n", row.system(), row.ndcg10(),
                    row.recall5(), row.queries());
        }
        System.out.println();
        StringBuilder md = new StringBuilder();
        md.append("### Retrieval on ").append(data.dir.getFileName()).append(" (").append(data.corpus.size())
                .append(" documents, ").append(queries).append(" queries, k=").append(K).append(")\n\n");
        md.append("| system | nDCG@10 | Recall@5 | queries |\n|---|---:|---:|---:|\n");
        Map<String, String> notes = new LinkedHashMap<>();
        for (Row row : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %d |%n", row.system(), row.ndcg10(),
                    row.recall5(), row.queries()));
            if (row.note() != null) {
                notes.put(row.system(), row.note());
            }
        }
        notes.forEach((system, note) -> md.append("\n").append(system).append(": ").append(note).append(".\n"));
        System.out.print(md);
    }
}
