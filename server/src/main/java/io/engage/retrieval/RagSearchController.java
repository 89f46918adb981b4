package io.engage.retrieval;

import io.engage.agents.AgentService;
import io.engage.auth.CurrentUser;
import io.engage.common.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** RAG API: search an agent's knowledge. */
@RestController
@Tag(name = "RAG")
class RagSearchController {

    private static final int MAX_K = 50;

    private final AgentService agents;
    private final RetrievalService retrieval;

    RagSearchController(AgentService agents, RetrievalService retrieval) {
        this.agents = agents;
        this.retrieval = retrieval;
    }

    record SearchResponse(List<SearchHit> results) {
    }

    @GetMapping("/rag/agents/{agentId}/search")
    @Operation(summary = "Hybrid search (BM25 + vectors, fused) over the agent's ready knowledge",
            description = "mode=keyword or mode=vector runs one side alone (search playground, evaluation)")
    SearchResponse search(CurrentUser user, @PathVariable UUID agentId, @RequestParam String q,
            @RequestParam(required = false) Integer k, @RequestParam(required = false) SearchMode mode) {
        agents.require(user.requireCompany(), agentId);
        int size = k == null ? 5 : k;
        if (size < 1 || size > MAX_K) {
            throw ApiProblem.badRequest("Invalid k", "k must be between 1 and " + MAX_K);
        }
        if (q.isBlank()) {
            throw ApiProblem.badRequest("Invalid q", "q must not be blank");
        }
        if (q.length() > 2000) {
            throw ApiProblem.badRequest("Invalid q", "q must be at most 2000 characters");
        }
        return new SearchResponse(retrieval.search(agentId, q, size, mode == null ? SearchMode.HYBRID : mode));
    }
}
