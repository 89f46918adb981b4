package io.engage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset in BEIR's layout: {@code corpus.jsonl} ({"_id","title","text"} per line), {@code queries.jsonl}
 * ({"_id","text"}) and graded relevance in {@code qrels/test.tsv} (or {@code qrels.tsv}): tab-separated
 * {@code query-id corpus-id score} with a header line.
 */
final class BeirDataset {

    record Document(String id, String title, String text) {
    }

    record Query(String id, String text) {
    }

    final Path dir;
    final Map<String, Document> corpus;
    /** The queries that have at least one relevant (score > 0) document, in the order of queries.jsonl. */
    final List<Query> queries;
    /** query id → (document id → relevance grade); only grades > 0. */
    final Map<String, Map<String, Integer>> qrels;
    final Path qrelsFile;

    private BeirDataset(Path dir, Map<String, Document> corpus, List<Query> queries,
            Map<String, Map<String, Integer>> qrels, Path qrelsFile) {
        this.dir = dir;
        this.corpus = corpus;
        this.queries = queries;
        this.qrels = qrels;
        this.qrelsFile = qrelsFile;
    }

    static BeirDataset load(Path dir) {
        Path corpusFile = dir.resolve("corpus.jsonl");
        Path queriesFile = dir.resolve("queries.jsonl");
        Path qrelsFile = Files.isRegularFile(dir.resolve("qrels/test.tsv")) ? dir.resolve("qrels/test.tsv")
                : dir.resolve("qrels.tsv");
        for (Path required : List.of(corpusFile, queriesFile, qrelsFile)) {
            if (!Files.isRegularFile(required)) {
                throw new IllegalArgumentException("not a BEIR dataset: " + required + " is missing");
            }
        }
        Map<String, Document> corpus = new LinkedHashMap<>();
        forEachJsonLine(corpusFile, node -> {
            String id = node.path("_id").asText();
            corpus.put(id, new Document(id, node.path("title").asText(""), node.path("text").asText("")));
        });
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(qrelsFile, StandardCharsets.UTF_8)) {
            String line;
            boolean first = true;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.split("\t");
                if (first && parts.length >= 3 && !isInteger(parts[parts.length - 1].trim())) {
                    first = false; // header: query-id corpus-id score
                    continue;
                }
                first = false;
                if (parts.length < 3) {
                    throw new IllegalArgumentException(qrelsFile + ": expected query-id, corpus-id, score: " + line);
                }
                // TREC-style 4 columns (query 0 doc score) are accepted too
                String queryId = parts[0].trim();
                String docId = parts[parts.length - 2].trim();
                int grade = Integer.parseInt(parts[parts.length - 1].trim());
                if (grade > 0 && corpus.containsKey(docId)) {
                    qrels.computeIfAbsent(queryId, q -> new LinkedHashMap<>()).put(docId, grade);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Query> queries = new ArrayList<>();
        forEachJsonLine(queriesFile, node -> {
            String id = node.path("_id").asText();
            if (qrels.containsKey(id)) {
                queries.add(new Query(id, node.path("text").asText("")));
            }
        });
        return new BeirDataset(dir, corpus, queries, qrels, qrelsFile);
    }

    private static boolean isInteger(String text) {
        try {
            Integer.parseInt(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void forEachJsonLine(Path file, java.util.function.Consumer<JsonNode> consumer) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    consumer.accept(Http.JSON.readTree(line));
                } catch (IOException e) {
                    throw new IllegalArgumentException(file + ":" + number + ": not JSON: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
