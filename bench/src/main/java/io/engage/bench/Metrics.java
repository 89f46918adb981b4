package io.engage.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Ranking metrics as BEIR computes them (pytrec_eval): nDCG@k with linear gain (the qrels grade) and a log2(rank+1)
 * discount, the ideal ranking made from all the query's judged-relevant documents; Recall@k is the share of the
 * relevant documents (grade > 0) found in the first k.
 */
final class Metrics {

    private Metrics() {
    }

    /** Document ids in rank order with repeats removed (several chunks of one document keep its first rank). */
    static List<String> dedupe(List<String> rankedDocIds) {
        return new ArrayList<>(new LinkedHashSet<>(rankedDocIds));
    }

    static double ndcg(List<String> ranked, Map<String, Integer> relevant, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            dcg += relevant.getOrDefault(ranked.get(i), 0) / log2(i + 2);
        }
        List<Integer> grades = new ArrayList<>(relevant.values());
        grades.sort((a, b) -> b - a);
        double ideal = 0;
        for (int i = 0; i < Math.min(k, grades.size()); i++) {
            ideal += grades.get(i) / log2(i + 2);
        }
        return ideal == 0 ? 0 : dcg / ideal;
    }

    static double recall(List<String> ranked, Map<String, Integer> relevant, int k) {
        if (relevant.isEmpty()) {
            return 0;
        }
        int found = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (relevant.getOrDefault(ranked.get(i), 0) > 0) {
                found++;
            }
        }
        return (double) found / relevant.size();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** Running means of nDCG@10 and Recall@5 over queries. */
    static final class Accumulator {
        private double ndcgSum;
        private double recallSum;
        private int queries;
        /** query id → "nDCG@10 [first three document ids]" */
        final Map<String, String> perQuery = new java.util.LinkedHashMap<>();

        void add(String queryId, List<String> rankedDocIds, Map<String, Integer> relevant) {
            List<String> ranked = dedupe(rankedDocIds);
            double ndcg = ndcg(ranked, relevant, 10);
            ndcgSum += ndcg;
            recallSum += recall(ranked, relevant, 5);
            queries++;
            perQuery.put(queryId, String.format(java.util.Locale.ROOT, "%.2f %s", ndcg,
                    ranked.subList(0, Math.min(3, ranked.size()))));
        }

        double ndcg10() {
            return queries == 0 ? 0 : ndcgSum / queries;
        }

        double recall5() {
            return queries == 0 ? 0 : recallSum / queries;
        }

        int queries() {
            return queries;
        }
    }

    /** Percentile (nearest rank) of sorted values. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
