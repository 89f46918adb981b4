package io.engage.agents;

import io.engage.audit.Audit;
import io.engage.audit.AuditEntry;
import io.engage.common.Page;
import io.engage.common.PageQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Admin API: every company's agents. */
@RestController
@RequestMapping("/admin/agents")
@Tag(name = "Admin: agents")
class AdminAgentController {

    private final AgentService agents;
    private final Audit audit;

    AdminAgentController(AgentService agents, Audit audit) {
        this.audit = audit;
        this.agents = agents;
    }

    @GetMapping
    Page<Agent> list(@RequestParam(required = false) UUID companyId, @RequestParam(required = false) AgentStatus status,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        return agents.list(companyId, status, PageQuery.of(limit, cursor));
    }

    @GetMapping("/{agentId}")
    Agent get(@PathVariable UUID agentId) {
        return agents.requireAnyCompany(agentId);
    }

    @PostMapping("/{agentId}/disable")
    @Operation(summary = "Disable an agent: it answers nowhere (403 on every agent API call) until enabled again")
    Agent disable(@PathVariable UUID agentId) {
        Agent agent = agents.setDisabled(agentId, true);
        audit.record(AuditEntry.of("agent.disabled").company(agent.companyId()).target("agent", agentId));
        return agent;
    }

    @PostMapping("/{agentId}/enable")
    @Operation(summary = "Enable a disabled agent again")
    Agent enable(@PathVariable UUID agentId) {
        Agent agent = agents.setDisabled(agentId, false);
        audit.record(AuditEntry.of("agent.enabled").company(agent.companyId()).target("agent", agentId));
        return agent;
    }
}
