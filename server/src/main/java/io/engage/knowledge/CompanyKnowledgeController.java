package io.engage.knowledge;

import io.engage.agents.AgentService;
import io.engage.audit.Audit;
import io.engage.audit.AuditEntry;
import io.engage.auth.CurrentUser;
import io.engage.common.ApiProblem;
import io.engage.common.Page;
import io.engage.common.PageQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Company API: an agent's knowledge sources. Adding answers 202 at once; ingestion runs in the background and the
 * source's status tells how far it got. Members read; company admins change.
 */
@RestController
@RequestMapping("/company/agents/{agentId}/knowledge")
@Tag(name = "Company: knowledge")
class CompanyKnowledgeController {

    private final AgentService agents;
    private final KnowledgeService knowledge;
    private final KnowledgeRequests requests;
    private final Audit audit;

    CompanyKnowledgeController(AgentService agents, KnowledgeService knowledge, KnowledgeRequests requests,
            Audit audit) {
        this.audit = audit;
        this.agents = agents;
        this.knowledge = knowledge;
        this.requests = requests;
    }

    /** 202 body: where the source is; {@code duplicate} when the same content was added before. */
    record Accepted(UUID sourceId, SourceStatus status, boolean duplicate) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Operation(summary = "Add text, an FAQ pair or a URL", description = "Ingested in the background; poll the "
            + "source's status. Re-adding the same content returns the existing source.")
    ResponseEntity<Accepted> addJson(CurrentUser user, @PathVariable UUID agentId,
            @Valid @RequestBody KnowledgeRequests.AddKnowledgeRequest request) {
        UUID companyId = agents.require(user.requireCompany(), agentId).companyId();
        return accepted(agentId, recorded(knowledge.add(companyId, agentId, requests.fromJson(request))));
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Operation(summary = "Upload a file (PDF, DOCX, HTML, Markdown, text)")
    ResponseEntity<Accepted> addFile(CurrentUser user, @PathVariable UUID agentId,
            @RequestPart("file") MultipartFile file, @RequestParam(required = false) String title,
            @RequestParam(required = false) String externalId) throws IOException {
        UUID companyId = agents.require(user.requireCompany(), agentId).companyId();
        return accepted(agentId,
                recorded(knowledge.add(companyId, agentId, requests.fromFile(file, title, externalId))));
    }

    private KnowledgeService.Added recorded(KnowledgeService.Added added) {
        KnowledgeSource source = added.source();
        audit.record(AuditEntry.of("knowledge.added").target("knowledge_source", source.id())
                .detail("agentId", source.agentId()).detail("type", source.type())
                .detail("duplicate", added.duplicate()));
        return added;
    }

    private static ResponseEntity<Accepted> accepted(UUID agentId, KnowledgeService.Added added) {
        KnowledgeSource source = added.source();
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/company/agents/" + agentId + "/knowledge/" + source.id()))
                .body(new Accepted(source.id(), source.status(), added.duplicate()));
    }

    @GetMapping
    Page<KnowledgeSource> list(CurrentUser user, @PathVariable UUID agentId,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        UUID companyId = agents.require(user.requireCompany(), agentId).companyId();
        return knowledge.list(companyId, agentId, PageQuery.of(limit, cursor));
    }

    @GetMapping("/{sourceId}")
    KnowledgeSource get(CurrentUser user, @PathVariable UUID agentId, @PathVariable UUID sourceId) {
        UUID companyId = agents.require(user.requireCompany(), agentId).companyId();
        return knowledge.get(companyId, agentId, sourceId);
    }

    @DeleteMapping("/{sourceId}")
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Operation(summary = "Remove a source and its chunks from the agent's knowledge")
    ResponseEntity<Void> delete(CurrentUser user, @PathVariable UUID agentId, @PathVariable UUID sourceId) {
        UUID companyId = agents.require(user.requireCompany(), agentId).companyId();
        knowledge.delete(companyId, agentId, sourceId);
        audit.record(AuditEntry.of("knowledge.deleted").target("knowledge_source", sourceId).detail("agentId", agentId));
        return ResponseEntity.noContent().build();
    }

    static ApiProblem unsupported(String mediaType) {
        return new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-file-type", "Unsupported file type",
                "Files of type " + mediaType + " cannot be ingested; upload PDF, DOCX, HTML, Markdown or text");
    }
}
