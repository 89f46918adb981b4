package io.engage.endusers;

import io.engage.agents.Agent;
import io.engage.agents.AgentService;
import io.engage.auth.CurrentUser;
import io.engage.common.Page;
import io.engage.common.PageQuery;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Lists an agent's end-users: for its company, and for platform admins. */
@RestController
@Tag(name = "End-users")
class EndUserController {

    private final AgentService agents;
    private final EndUserRepository endUsers;

    EndUserController(AgentService agents, EndUserRepository endUsers) {
        this.agents = agents;
        this.endUsers = endUsers;
    }

    @GetMapping("/company/agents/{agentId}/users")
    @Transactional(readOnly = true)
    Page<EndUser> companyList(CurrentUser user, @PathVariable UUID agentId,
            @RequestParam(required = false) String q, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        Agent agent = agents.require(user.requireCompany(), agentId);
        PageQuery page = PageQuery.of(limit, cursor);
        return Page.of(endUsers.list(agent.companyId(), agent.id(), q, page), page, EndUser::id);
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
