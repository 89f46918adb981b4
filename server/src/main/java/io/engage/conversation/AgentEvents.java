package io.engage.conversation;

import io.engage.agents.Agent;
import io.engage.common.ApiProblem;
import io.engage.common.Ids;
import io.engage.common.Times;
import io.engage.endusers.EndUsers;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Widget events: validated against the calling agent's own conversations and stored for analytics. */
@Service
class AgentEvents {

    static final Set<String> TYPES = Set.of("widget_open", "widget_close", "message_sent", "feedback",
            "handoff_requested", "link_clicked", "conversation_end");
    private static final int MAX_VALUE_CHARS = 2000;

    private final ConversationRepository conversations;
    private final EndUsers endUsers;
    private final TurnWriter writer;

    AgentEvents(ConversationRepository conversations, EndUsers endUsers, TurnWriter writer) {
        this.conversations = conversations;
        this.endUsers = endUsers;
        this.writer = writer;
    }

    @Transactional
    UUID record(Agent agent, AgentEventRequest event) {
        if (event == null || event.type() == null || !TYPES.contains(event.type())) {
            throw ApiProblem.unprocessable("type", "must be one of " + String.join(", ", TYPES.stream().sorted()
                    .toList()));
        }
        String value = event.value() == null ? null : event.value().strip();
        if (value != null && value.length() > MAX_VALUE_CHARS) {
            throw ApiProblem.unprocessable("value", "must have at most " + MAX_VALUE_CHARS + " characters");
        }
        if (event.comment() != null && event.comment().length() > MAX_VALUE_CHARS) {
            throw ApiProblem.unprocessable("comment", "must have at most " + MAX_VALUE_CHARS + " characters");
        }
        if (event.conversationId() != null && !writer.pendingConversation(agent.id(), null, event.conversationId())
                && !conversations.conversationOfAgent(agent.companyId(), agent.id(), event.conversationId())) {
            throw ApiProblem.notFound("Conversation", event.conversationId());
        }
        UUID conversationId = event.conversationId();
        if (event.messageId() != null) {
            // the answer's conversation goes with the event, also when the widget did not send it
            UUID ofAnswer = writer.pendingConversationOfAnswer(agent.id(), event.messageId())
                    .or(() -> conversations.conversationOfAnswer(agent.companyId(), agent.id(), event.messageId()))
                    .orElse(null);
            if (ofAnswer == null || conversationId != null && !conversationId.equals(ofAnswer)) {
                throw ApiProblem.notFound("Message", event.messageId());
            }
            conversationId = ofAnswer;
        }
        Integer score = null;
        if ("feedback".equals(event.type())) {
            if (event.messageId() == null) {
                throw ApiProblem.unprocessable("messageId", "is required for feedback");
            }
            if (!"up".equals(value) && !"down".equals(value)) {
                throw ApiProblem.unprocessable("value", "must be \"up\" or \"down\" for feedback");
            }
            String comment = event.comment() == null || event.comment().isBlank() ? null : event.comment().strip();
            score = "up".equals(value) ? 1 : -1;
            writer.submit(new TurnWriter.Feedback(agent.companyId(), event.messageId(), score, comment));
            value = comment;
        }
        if ("handoff_requested".equals(event.type()) && conversationId != null) {
            // the visitor pressed "talk to a human": the conversation needs a person, as with an agent-side handoff
            writer.submit(new TurnWriter.Handoff(agent.companyId(), conversationId));
        }
        UUID endUserId = null;
        if (event.endUserId() != null && !event.endUserId().isBlank()) {
            String externalId = AgentRuntime.validEndUserId(event.endUserId());
            // events do not create end-users (a page view is not a contact); they link to known ones
            endUserId = endUsers.findByExternalId(agent.companyId(), agent.id(), externalId)
                    .map(user -> user.id()).orElse(null);
        }
        UUID id = Ids.newId();
        writer.submit(new TurnWriter.Event(id, agent.companyId(), agent.id(), endUserId, conversationId,
                event.messageId(), event.type(), score, value, Times.now()));
        return id;
    }
}
