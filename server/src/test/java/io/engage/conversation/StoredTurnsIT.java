package io.engage.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.common.ForeignKeys;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How the background writer stores a batch of turns, on H2 and on PostgreSQL (where the conversations are updated by
 * one statement from arrays): every conversation counts its messages once per turn, keeps its latest message time and
 * any handoff, and only within its own company; a company's transcripts and analytics events still go with it.
 */
class StoredTurnsIT extends IntegrationTest {

    @Autowired
    ConversationRepository repository;

    @Autowired
    TurnWriter writer;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    DataSource dataSource;

    private record Conversation(UUID id, UUID agentId, UUID companyId, int messages, Instant lastMessageAt,
            boolean handoff) {
    }

    /** An agent that can answer the question below from its knowledge (an unanswerable one would hand off). */
    private TestAgent agent() {
        TestAgent agent = newAgent(Map.of());
        Api.Response indexed = api.post("/rag/agents/" + agent.id() + "/index", agent.token(), Map.of("type", "text",
                "title", "Opening hours", "content", "Our shop is open from 9 am to 6 pm, Monday to Saturday."));
        assertThat(indexed.status()).as(indexed.toString()).isEqualTo(201);
        return agent;
    }

    private Conversation startConversation(TestAgent agent, String visitor) {
        Api.Response response = api.send("POST", "/agent/query", null,
                Map.of("endUserId", visitor, "message", "What are your opening hours?"), "application/json",
                "X-Engage-Key", agent.key());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        writer.awaitWritten();
        return conversation(UUID.fromString(response.json().get("conversationId").asText()));
    }

    private Conversation conversation(UUID id) {
        return jdbc.sql("SELECT id, agent_id, company_id, message_count, last_message_at, handoff FROM conversations "
                + "WHERE id = ?").param(id).query((rs, row) -> new Conversation(rs.getObject("id", UUID.class),
                        rs.getObject("agent_id", UUID.class), rs.getObject("company_id", UUID.class),
                        rs.getInt("message_count"), rs.getTimestamp("last_message_at").toInstant(),
                        rs.getBoolean("handoff"))).single();
    }

    private static ConversationRepository.Turn turn(Conversation c, UUID companyId, Instant answeredAt,
            boolean handoff) {
        return new ConversationRepository.Turn(c.id(), c.agentId(), companyId, UUID.randomUUID(), "question",
                answeredAt.minusMillis(5), UUID.randomUUID(), "answer", "question", List.of(), true, handoff, false,
                null, "extractive", null, 1, 1, 5, false, answeredAt);
    }

    @Test
    void aBatchCountsEveryTurnOfEachConversationAndKeepsItsLatestTimeAndHandoff() {
        TestAgent agent = agent();
        TestAgent stranger = agent();
        Conversation first = startConversation(agent, "visitor-1");
        Conversation second = startConversation(agent, "visitor-2");
        Conversation strangers = startConversation(stranger, "visitor-1");
        assertThat(first.messages()).isEqualTo(2);
        assertThat(first.handoff()).isFalse();
        assertThat(second.handoff()).isFalse();
        Instant later = first.lastMessageAt().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

        transactions.executeWithoutResult(status -> repository.saveTurns(List.of(
                turn(first, first.companyId(), later.plusSeconds(2), false),
                turn(second, second.companyId(), second.lastMessageAt().minus(1, ChronoUnit.DAYS), false),
                turn(first, first.companyId(), later, true),
                // another tenant's company id on this tenant's conversation: its counters stay as they are
                turn(strangers, first.companyId(), later, true))));

        Conversation firstAfter = conversation(first.id());
        assertThat(firstAfter.messages()).isEqualTo(6);
        assertThat(firstAfter.handoff()).isTrue();
        assertThat(firstAfter.lastMessageAt()).isEqualTo(later.plusSeconds(2));
        Conversation secondAfter = conversation(second.id());
        assertThat(secondAfter.messages()).isEqualTo(4);
        assertThat(secondAfter.lastMessageAt()).as("an older turn does not move the time back")
                .isEqualTo(second.lastMessageAt());
        assertThat(secondAfter.handoff()).isFalse();
        assertThat(conversation(strangers.id())).isEqualTo(strangers);
    }

    @Test
    void messagesAndEventsDependOnTheirCompanyThroughTheirConversationAndAgent() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(ForeignKeys.exists(connection, "messages", "company_id", "companies")).isFalse();
            assertThat(ForeignKeys.exists(connection, "analytics_events", "company_id", "companies")).isFalse();
            assertThat(ForeignKeys.exists(connection, "messages", "conversation_id", "conversations")).isTrue();
            assertThat(ForeignKeys.exists(connection, "analytics_events", "agent_id", "agents")).isTrue();
        }
        TestAgent doomed = newAgent(Map.of());
        TestAgent survivor = newAgent(Map.of());
        UUID doomedCompany = startConversation(doomed, "visitor-1").companyId();
        UUID survivorCompany = startConversation(survivor, "visitor-1").companyId();

        assertThat(api.delete("/admin/companies/" + doomedCompany, adminToken()).status()).isEqualTo(204);

        for (String table : List.of("conversations", "messages", "analytics_events")) {
            assertThat(count(table, doomedCompany)).as(table).isZero();
            assertThat(count(table, survivorCompany)).as(table).isPositive();
        }
        JsonNode users = api.get(survivor.path() + "/users", survivor.token()).json().get("items");
        assertThat(users.get(0).get("conversationCount").asInt()).isEqualTo(1);
    }

    private long count(String table, UUID companyId) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE company_id = ?").param(companyId).query(Long.class)
                .single();
    }
}
