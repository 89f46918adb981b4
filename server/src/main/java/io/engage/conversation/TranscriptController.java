package io.engage.conversation;

import io.engage.agents.Agent;
import io.engage.agents.AgentService;
import io.engage.auth.CurrentUser;
import io.engage.common.ApiProblem;
import io.engage.common.Page;
import io.engage.common.PageQuery;
import io.engage.endusers.EndUsers;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Transcripts for the agent's company: an end-user's conversations, and one conversation with its messages. */
@RestController
@Tag(name = "End-users")
class TranscriptController {

    private final AgentService agents;
    private final EndUsers endUsers;
    private final ConversationRepository conversations;
    private final TurnWriter writer;

    TranscriptController(AgentService agents, EndUsers endUsers, ConversationRepository conversations,
            TurnWriter writer) {
        this.agents = agents;
        this.endUsers = endUsers;
        this.conversations = conversations;
        this.writer = writer;
    }

    @GetMapping("/company/agents/{agentId}/users/{endUserId}/conversations")
    @Transactional(readOnly = true)
    Page<Transcripts.ConversationSummary> ofEndUser(CurrentUser user, @PathVariable UUID agentId,
            @PathVariable UUID endUserId, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        Agent agent = agents.require(user.requireCompany(), agentId);
        writer.awaitWritten();
        endUsers.find(agent.companyId(), agent.id(), endUserId)
                .orElseThrow(() -> ApiProblem.notFound("End-user", endUserId));
        PageQuery page = PageQuery.of(limit, cursor);
        return Page.of(conversations.conversationsOf(agent.companyId(), agent.id(), endUserId, page), page,
                Transcripts.ConversationSummary::id);
    }

    @GetMapping("/company/agents/{agentId}/conversations/{conversationId}")
    @Transactional(readOnly = true)
    Transcripts.Conversation conversation(CurrentUser user, @PathVariable UUID agentId,
            @PathVariable UUID conversationId) {
        Agent agent = agents.require(user.requireCompany(), agentId);
        writer.awaitWritten();
        Transcripts.ConversationSummary summary = conversations.conversation(agent.companyId(), agent.id(),
                conversationId).orElseThrow(() -> ApiProblem.notFound("Conversation", conversationId));
        return new Transcripts.Conversation(summary.id(), summary.agentId(), summary.endUserId(),
                summary.startedAt(), summary.lastMessageAt(), summary.messageCount(), summary.handoff(),
                conversations.messages(agent.companyId(), conversationId));
    }
}
