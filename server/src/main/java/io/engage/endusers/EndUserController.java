package io.engage.endusers;

import io.engage.agents.Agent;
import io.engage.agents.AgentService;
import io.engage.audit.Audit;
import io.engage.audit.AuditEntry;
import io.engage.auth.CurrentUser;
import io.engage.common.ApiProblem;
import io.engage.common.Page;
import io.engage.common.PageQuery;
import io.engage.common.WriteBarrier;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Lists an agent's end-users: for its company, and for platform admins. */
@RestController
@Tag(name = "End-users")
class EndUserController {

    private static final Logger log = LoggerFactory.getLogger(EndUserController.class);

    private final AgentService agents;
    private final EndUserRepository endUsers;

    private final List<WriteBarrier> pendingWrites;
    private final Audit audit;

    /** {@code pendingWrites}: asynchronous writers of other modules (conversation counts, new end-users' turns). */
    EndUserController(AgentService agents, EndUserRepository endUsers, List<WriteBarrier> pendingWrites,
            Audit audit) {
        this.audit = audit;
        this.agents = agents;
        this.endUsers = endUsers;
        this.pendingWrites = pendingWrites;
    }

    @GetMapping("/company/agents/{agentId}/users")
    @Transactional(readOnly = true)
    Page<EndUser> companyList(CurrentUser user, @PathVariable UUID agentId,
            @RequestParam(required = false) String q, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        Agent agent = agents.require(user.requireCompany(), agentId);
        pendingWrites.forEach(WriteBarrier::awaitWritten);
        PageQuery page = PageQuery.of(limit, cursor);
        return Page.of(endUsers.list(agent.companyId(), agent.id(), q, page), page, EndUser::id);
    }

    @GetMapping("/company/agents/{agentId}/users/{endUserId}")
    @Transactional(readOnly = true)
    EndUser companyGet(CurrentUser user, @PathVariable UUID agentId, @PathVariable UUID endUserId) {
        Agent agent = agents.require(user.requireCompany(), agentId);
        pendingWrites.forEach(WriteBarrier::awaitWritten);
        return endUsers.find(agent.companyId(), agent.id(), endUserId)
                .orElseThrow(() -> ApiProblem.notFound("End-user", endUserId));
    }

    /** Blocked end-users get 403 from the agent API at once; their transcripts stay readable. */
    @PostMapping("/company/agents/{agentId}/users/{endUserId}/block")
    @Transactional
    EndUser block(CurrentUser user, @PathVariable UUID agentId, @PathVariable UUID endUserId) {
        return setBlocked(user, agentId, endUserId, true);
    }

    @PostMapping("/company/agents/{agentId}/users/{endUserId}/unblock")
    @Transactional
    EndUser unblock(CurrentUser user, @PathVariable UUID agentId, @PathVariable UUID endUserId) {
        return setBlocked(user, agentId, endUserId, false);
    }

    private EndUser setBlocked(CurrentUser user, UUID agentId, UUID endUserId, boolean blocked) {
        Agent agent = agents.require(user.requireCompany(), agentId);
        if (!endUsers.setBlocked(agent.companyId(), agent.id(), endUserId, blocked)) {
            throw ApiProblem.notFound("End-user", endUserId);
        }
        log.info("End-user {}: companyId={} agentId={} endUserId={} by userId={}", blocked ? "blocked" : "unblocked",
                agent.companyId(), agent.id(), endUserId, user.userId());
        audit.record(AuditEntry.of(blocked ? "enduser.blocked" : "enduser.unblocked").company(agent.companyId())
                .target("end_user", endUserId).detail("agentId", agent.id()));
        return endUsers.find(agent.companyId(), agent.id(), endUserId).orElseThrow();
    }

    @GetMapping("/admin/agents/{agentId}/users")
    @Transactional(readOnly = true)
    Page<EndUser> adminList(@PathVariable UUID agentId, @RequestParam(required = false) String q,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        Agent agent = agents.requireAnyCompany(agentId);
        PageQuery page = PageQuery.of(limit, cursor);
        return Page.of(endUsers.list(agent.companyId(), agent.id(), q, page), page, EndUser::id);
    }
}
