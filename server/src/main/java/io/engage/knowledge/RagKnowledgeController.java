package io.engage.knowledge;

import io.engage.agents.AgentService;
import io.engage.audit.Audit;
import io.engage.audit.AuditEntry;
import io.engage.auth.CurrentUser;
import io.engage.common.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** RAG API: synchronous indexing and full sync of an agent's knowledge (search lives in the retrieval module). */
@RestController
@RequestMapping("/rag/agents/{agentId}")
@Tag(name = "RAG")
class RagKnowledgeController {

    private static final int MAX_SYNC_DOCUMENTS = 1000;

    private final AgentService agents;
    private final KnowledgeService knowledge;
    private final KnowledgeRequests requests;
    private final Audit audit;

    RagKnowledgeController(AgentService agents, KnowledgeService knowledge, KnowledgeRequests requests,
            Audit audit) {
        this.audit = audit;
        this.agents = agents;
        this.knowledge = knowledge;
        this.requests = requests;
    }

    /** Result of synchronous indexing. */
    record Indexed(UUID sourceId, SourceStatus status, int chunkCount, boolean duplicate) {
    }

    record SyncRequest(@NotNull @Size(max = MAX_SYNC_DOCUMENTS) List<@Valid @NotNull SyncDocument> documents) {
    }

    record SyncDocument(@NotBlank @Size(max = 500) String externalId, @Size(max = 500) String title, String content,
            @Size(max = 2000) String url) {
    }

    @PostMapping(path = "/index", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Operation(summary = "Index text, an FAQ pair or a URL now", description = "Returns when the source is searchable")
    ResponseEntity<Indexed> indexJson(CurrentUser user, @PathVariable UUID agentId,
            @Valid @RequestBody KnowledgeRequests.AddKnowledgeRequest request) {
        UUID companyId = agents.require(user.requireCompany(), agentId).companyId();
        return indexed(recorded(knowledge.addAndIndexNow(companyId, agentId, requests.fromJson(request))));
    }

    @PostMapping(path = "/index", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Operation(summary = "Index a file now (PDF, DOCX, HTML, Markdown, text)")
    ResponseEntity<Indexed> indexFile(CurrentUser user, @PathVariable UUID agentId,
            @RequestPart("file") MultipartFile file, @RequestParam(required = false) String title,
            @RequestParam(required = false) String externalId) throws IOException {
        UUID companyId = agents.require(user.requireCompany(), agentId).companyId();
        return indexed(
                recorded(knowledge.addAndIndexNow(companyId, agentId, requests.fromFile(file, title, externalId))));
    }

    private KnowledgeService.Added recorded(KnowledgeService.Added added) {
        KnowledgeSource source = added.source();
        audit.record(AuditEntry.of("knowledge.added").target("knowledge_source", source.id())
                .detail("agentId", source.agentId()).detail("type", source.type())
                .detail("duplicate", added.duplicate()).detail("via", "rag"));
        return added;
    }

    private static ResponseEntity<Indexed> indexed(KnowledgeService.Added added) {
        KnowledgeSource source = added.source();
        if (source.status() == SourceStatus.FAILED) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "ingestion-failed", "Could not index the source",
                    source.error()).with("sourceId", source.id());
        }
        return ResponseEntity.status(added.duplicate() ? HttpStatus.OK : HttpStatus.CREATED)
                .body(new Indexed(source.id(), source.status(), source.chunkCount(), added.duplicate()));
    }

    @PutMapping(path = "/knowledge", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Operation(summary = "Full sync by externalId", description = "Documents absent from the list are removed; "
            + "new and changed ones are ingested in the background.")
    KnowledgeService.SyncResult sync(CurrentUser user, @PathVariable UUID agentId,
            @Valid @RequestBody SyncRequest request) {
        UUID companyId = agents.require(user.requireCompany(), agentId).companyId();
        List<KnowledgeService.NewSource> documents = new ArrayList<>(request.documents().size());
        for (int i = 0; i < request.documents().size(); i++) {
            documents.add(toSource(request.documents().get(i), i));
        }
        KnowledgeService.SyncResult result = knowledge.sync(companyId, agentId, documents);
        audit.record(AuditEntry.of("knowledge.synced").target("agent", agentId).detail("added", result.added())
                .detail("updated", result.updated()).detail("removed", result.removed()));
        return result;
    }

    private static KnowledgeService.NewSource toSource(SyncDocument document, int index) {
        boolean hasContent = document.content() != null && !document.content().isBlank();
        boolean hasUrl = document.url() != null && !document.url().isBlank();
        if (hasContent == hasUrl) {
            throw ApiProblem.unprocessable("documents[" + index + "]", "needs exactly one of content or url");
        }
        String externalId = document.externalId().strip();
        if (hasUrl) {
            String url = KnowledgeRequests.validUrl(document.url());
            String title = document.title() == null || document.title().isBlank() ? url : document.title().strip();
            return new KnowledgeService.NewSource(SourceType.URL, title, externalId, url, null, null,
                    url.getBytes(StandardCharsets.UTF_8));
        }
        String title = document.title() == null || document.title().isBlank() ? externalId : document.title().strip();
        return new KnowledgeService.NewSource(SourceType.TEXT, title, externalId, null, null, DocumentParser.MARKDOWN,
                document.content().getBytes(StandardCharsets.UTF_8));
    }
}
