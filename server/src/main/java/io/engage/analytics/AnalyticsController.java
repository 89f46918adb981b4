package io.engage.analytics;

import io.engage.agents.AgentService;
import io.engage.audit.Audit;
import io.engage.audit.AuditEntry;
import io.engage.auth.CurrentUser;
import io.engage.common.ApiProblem;
import io.engage.common.Page;
import io.engage.common.Times;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Company analytics, platform analytics (admin) and an agent's knowledge gaps. */
@RestController
@Tag(name = "Analytics")
class AnalyticsController {

    private static final int DEFAULT_GAPS = 20;
    private static final int MAX_GAPS = 100;

    record GapAnswer(String question, String answer) {
    }

    private final AnalyticsReports reports;
    private final KnowledgeGaps gaps;
    private final AgentService agents;
    private final AnalyticsProperties properties;
    private final Audit audit;

    AnalyticsController(AnalyticsReports reports, KnowledgeGaps gaps, AgentService agents,
            AnalyticsProperties properties, Audit audit) {
        this.audit = audit;
        this.reports = reports;
        this.gaps = gaps;
        this.agents = agents;
        this.properties = properties;
    }

    @GetMapping("/company/analytics")
    @Operation(summary = "Figures of the company's agents over a range (from/to: YYYY-MM-DD or ISO instants, UTC)")
    Reports.CompanyReport company(CurrentUser user, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) UUID agentId,
            @RequestParam(required = false) String interval) {
        UUID companyId = user.requireCompany();
        if (agentId != null) {
            agents.require(companyId, agentId);
        }
        return reports.company(companyId, agentId, range(from, to, interval));
    }

    @GetMapping("/admin/analytics")
    @Operation(summary = "Platform-wide figures with a per-company breakdown")
    Reports.PlatformReport platform(@RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String interval) {
        return reports.platform(range(from, to, interval));
    }

    @GetMapping("/company/agents/{agentId}/gaps")
    @Operation(summary = "Questions the agent could not answer from its knowledge, grouped by meaning")
    Page<KnowledgeGaps.Gap> gaps(CurrentUser user, @PathVariable UUID agentId,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer limit) {
        UUID companyId = agents.require(user.requireCompany(), agentId).companyId();
        int size = limit == null ? DEFAULT_GAPS : limit;
        if (size < 1 || size > MAX_GAPS) {
            throw ApiProblem.badRequest("Invalid limit", "limit must be between 1 and " + MAX_GAPS);
        }
        return new Page<>(gaps.list(companyId, agentId, range(from, to, null), size), null);
    }

    @PostMapping("/company/agents/{agentId}/gaps/{gapId}/answer")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Operation(summary = "Answer a gap: adds an FAQ entry to the agent's knowledge and closes the gap's questions")
    KnowledgeGaps.Answered answer(CurrentUser user, @PathVariable UUID agentId, @PathVariable UUID gapId,
            @RequestBody GapAnswer body) {
        UUID companyId = agents.require(user.requireCompany(), agentId).companyId();
        if (body == null) {
            throw ApiProblem.unprocessable("answer", "must not be blank");
        }
        KnowledgeGaps.Answered answered = gaps.answer(companyId, agentId, gapId, body.question(), body.answer());
        audit.record(AuditEntry.of("gap.answered").target("gap", gapId).detail("agentId", agentId)
                .detail("sourceId", answered.sourceId()));
        return answered;
    }

    @DeleteMapping("/company/agents/{agentId}/gaps/{gapId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Operation(summary = "Dismiss a gap (closes its questions without adding knowledge)")
    void dismiss(CurrentUser user, @PathVariable UUID agentId, @PathVariable UUID gapId) {
        UUID companyId = agents.require(user.requireCompany(), agentId).companyId();
        gaps.dismiss(companyId, agentId, gapId);
        audit.record(AuditEntry.of("gap.dismissed").target("gap", gapId).detail("agentId", agentId));
    }

    private AnalyticsRange range(String from, String to, String interval) {
        return AnalyticsRange.parse(from, to, interval, Times.now(), properties);
    }
}
