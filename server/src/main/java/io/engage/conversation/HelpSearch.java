package io.engage.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.engage.agents.Agent;
import io.engage.common.ApiProblem;
import io.engage.knowledge.FaqEntry;
import io.engage.knowledge.KnowledgeService;
import io.engage.retrieval.RetrievalService;
import io.engage.retrieval.SearchHit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * {@code GET /agent/search}: the widget's Q/A help-center panel searching as the visitor types. Hybrid retrieval over
 * the agent's knowledge, one result per source (its best passage), FAQ entries shown as question and answer. Weak
 * hits are dropped, so that an unrelated query shows "no results" rather than the least bad passages.
 */
@Service
class HelpSearch {

    static final int MAX_QUERY_CHARS = 300;
    static final int MAX_K = 10;
    static final int DEFAULT_K = 5;
    static final int SNIPPET_CHARS = 300;
    /** Passages asked of retrieval: more than k, since several passages of one source collapse into one result. */
    private static final int MAX_CANDIDATES = 50;
    private static final Pattern SPACES = Pattern.compile("\\s+");

    /** One source: title (an FAQ's question), its best passage as snippet, and for FAQ entries the answer. */
    record Result(UUID sourceId, String title, String url, String snippet, String answer, double score) {
    }

    record Results(List<Result> results) {
    }

    private final RetrievalService retrieval;
    private final KnowledgeService knowledge;
    /** Source id → its FAQ entry (empty: not an FAQ). Sources never change their type or content once added. */
    private final Cache<UUID, Optional<FaqEntry>> faqs = Caffeine.newBuilder().maximumSize(100_000).build();

    HelpSearch(RetrievalService retrieval, KnowledgeService knowledge) {
        this.retrieval = retrieval;
        this.knowledge = knowledge;
    }

    Results search(Agent agent, String q, String k) {
        String query = q == null ? "" : q.strip();
        if (query.isEmpty() || query.length() > MAX_QUERY_CHARS) {
            throw ApiProblem.badRequest("Invalid q", "q must have 1 to " + MAX_QUERY_CHARS + " characters");
        }
        int size = size(k);
        List<SearchHit> hits = retrieval.search(agent.id(), query, Math.min(MAX_CANDIDATES, Math.max(20, size * 4)));
        // hits come best first: the first passage of each source is its best one
        Map<UUID, SearchHit> best = new LinkedHashMap<>();
        for (SearchHit hit : hits) {
            if (best.size() < size && relevant(agent, hit)) {
                best.putIfAbsent(hit.sourceId(), hit);
            }
        }
        Map<UUID, Optional<FaqEntry>> entries = faqEntries(agent, best.keySet());
        List<Result> results = new ArrayList<>(best.size());
        for (SearchHit hit : best.values()) {
            FaqEntry faq = entries.getOrDefault(hit.sourceId(), Optional.empty()).orElse(null);
            results.add(faq == null
                    ? new Result(hit.sourceId(), hit.title(), hit.url(), snippet(hit.text()), null, hit.score())
                    : new Result(hit.sourceId(), faq.question(), hit.url(), snippet(faq.answer()), faq.answer(),
                            hit.score()));
        }
        return new Results(List.copyOf(results));
    }

    /** Keywords matched, or close enough in meaning by the agent's own grounding threshold. */
    private static boolean relevant(Agent agent, SearchHit hit) {
        return hit.bm25() > 0 || hit.similarity() >= agent.retrieval().minScore();
    }

    private Map<UUID, Optional<FaqEntry>> faqEntries(Agent agent, Set<UUID> sourceIds) {
        if (sourceIds.isEmpty()) {
            return Map.of();
        }
        // the ids come from this agent's own index, so caching by source id alone cannot cross tenants
        return faqs.getAll(sourceIds, missing -> {
            Map<UUID, FaqEntry> found = knowledge.faqEntries(agent.companyId(), agent.id(), Set.copyOf(missing));
            Map<UUID, Optional<FaqEntry>> loaded = new HashMap<>();
            missing.forEach(id -> loaded.put(id, Optional.ofNullable(found.get(id))));
            return loaded;
        });
    }

    private static int size(String k) {
        if (k == null || k.isBlank()) {
            return DEFAULT_K;
        }
        try {
            int size = Integer.parseInt(k.strip());
            if (size >= 1 && size <= MAX_K) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.badRequest("Invalid k", "k must be a whole number from 1 to " + MAX_K);
    }

    /** The text on one line, cut at a word boundary near {@link #SNIPPET_CHARS}. */
    static String snippet(String text) {
        String flat = SPACES.matcher(text).replaceAll(" ").strip();
        if (flat.length() <= SNIPPET_CHARS) {
            return flat;
        }
        int cut = flat.lastIndexOf(' ', SNIPPET_CHARS);
        if (cut < SNIPPET_CHARS / 2) {
            cut = SNIPPET_CHARS; // one very long word: cut inside it
        }
        return flat.substring(0, cut).strip() + "…";
    }
}
