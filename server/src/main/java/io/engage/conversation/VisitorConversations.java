package io.engage.conversation;

import io.engage.agents.Agent;
import io.engage.common.ApiProblem;
import io.engage.endusers.EndUser;
import io.engage.endusers.EndUsers;
import io.engage.memory.ConversationMemory;
import io.engage.memory.MemoryTurn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * {@code GET /agent/conversation}: the visitor's current conversation, so that the widget shows it again after a page
 * reload. "Current" is exactly the one {@code POST /agent/query} would continue now (the latest in memory, within
 * the memory TTL). Messages come from the stored transcript; answers not yet stored (queued in the turn writer of
 * this or another node) come from memory, which remembers their ids.
 */
@Service
class VisitorConversations {

    /** One message as the widget shows it. feedback: "up", "down" or null. */
    record Message(UUID id, String role, String content, List<Citation> citations, boolean grounded,
            boolean handoff, String feedback, Instant createdAt) {
    }

    /** conversationId null (and no messages) when the visitor has no conversation to resume. */
    record Current(UUID conversationId, List<Message> messages) {

        static final Current NONE = new Current(null, List.of());
    }

    private final AgentRuntime runtime;
    private final EndUsers endUsers;
    private final ConversationMemory memory;
    private final ConversationRepository conversations;
    private final TurnWriter writer;

    VisitorConversations(AgentRuntime runtime, EndUsers endUsers, ConversationMemory memory,
            ConversationRepository conversations, TurnWriter writer) {
        this.runtime = runtime;
        this.endUsers = endUsers;
        this.memory = memory;
        this.conversations = conversations;
        this.writer = writer;
    }

    Current current(Agent agent, String rawEndUserId, String userHash) {
        String endUserId = AgentRuntime.validEndUserId(rawEndUserId);
        // before any lookup, so that an unverified caller learns nothing (not even whether the visitor exists)
        if (agent.identityVerification().enabled()) {
            runtime.verifyIdentity(agent, endUserId, userHash);
        }
        // a look-up, not a contact: reading creates no end-user
        Optional<EndUser> found = endUsers.findByExternalId(agent.companyId(), agent.id(), endUserId);
        if (found.isEmpty()) {
            return Current.NONE;
        }
        EndUser endUser = found.get();
        if (endUser.blocked()) {
            throw ApiProblem.forbidden("This user has been blocked by the site");
        }
        List<MemoryTurn> history = memory.recall(agent.id(), endUserId);
        UUID conversationId = AgentRuntime.rememberedConversation(history);
        if (conversationId == null || !runtime.conversationKnown(agent, endUser.id(), conversationId, history)) {
            return Current.NONE;
        }
        // this node's queued turns and feedback reach the database first (milliseconds), as for transcripts
        writer.awaitWritten();
        List<Message> messages = new ArrayList<>();
        Set<UUID> storedIds = new HashSet<>();
        Instant lastStored = null;
        for (Transcripts.Message m : conversations.messages(agent.companyId(), conversationId)) {
            messages.add(new Message(m.id(), m.role(), m.content(), m.citations(), Boolean.TRUE.equals(m.grounded()),
                    Boolean.TRUE.equals(m.handoff()), m.feedback(), m.createdAt()));
            storedIds.add(m.id());
            lastStored = m.createdAt();
        }
        // turns still queued on another node: known from memory only (without citations or flags)
        for (MemoryTurn turn : history) {
            boolean missing = turn.messageId() != null ? !storedIds.contains(turn.messageId())
                    : lastStored == null || turn.at().isAfter(lastStored);
            if (conversationId.equals(turn.conversationId()) && missing) {
                messages.add(new Message(turn.messageId(), turn.role(), turn.text(), List.of(), false, false, null,
                        turn.at()));
            }
        }
        return new Current(conversationId, List.copyOf(messages));
    }
}
