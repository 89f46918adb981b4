package io.engage.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.common.Ids;
import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Rebuilding the rollups from the raw log, retention of raw events, trimming of past days' questions. */
class AnalyticsMaintenanceIT extends IntegrationTest {

    @Autowired
    AnalyticsMaintenance maintenance;

    private record Company(TestCompany company, UUID agentId, String key) {
    }

    private Company companyWithTraffic() {
        TestCompany company = signup();
        JsonNode agent = createAgent(company.token(), Map.of("name", "Rebuilt"));
        String agentId = agent.get("id").asText();
        assertThat(api.post("/rag/agents/" + agentId + "/index", company.token(), Map.of("type", "text", "title",
                "Hours", "content", "We are open every day from 8 to 20.")).status()).isEqualTo(201);
        String key = agent.get("apiKey").asText();
        for (String[] turn : new String[][] {{"u1", "When are you open?"}, {"u1", "Are you open on Sunday?"},
                {"u2", "When are you open?"}, {"u3", "Can I pay with bitcoin?"}}) {
            Api.Response answer = api.send("POST", "/agent/query", null, Map.of("endUserId", turn[0], "message",
                    turn[1]), "application/json", "X-Engage-Key", key);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            api.send("POST", "/agent/events", null, Map.of("type", "feedback", "messageId",
                    answer.json().get("messageId").asText(), "value", turn[0].equals("u1") ? "up" : "down"),
                    "application/json", "X-Engage-Key", key);
        }
        // a report waits for the background writer: everything above is stored after it
        assertThat(api.get("/company/analytics", company.token()).status()).isEqualTo(200);
        return new Company(company, UUID.fromString(agentId), key);
    }

    @Test
    void rebuildingFromTheRawEventsGivesTheSameRollups() {
        Company c = companyWithTraffic();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String path = "/company/analytics?interval=hour&from=" + Instant.now().truncatedTo(ChronoUnit.HOURS)
                .minus(1, ChronoUnit.HOURS) + "&to=" + Instant.now().truncatedTo(ChronoUnit.HOURS)
                .plus(1, ChronoUnit.HOURS);
        JsonNode daily = api.get("/company/analytics?from=" + today + "&to=" + today, c.company().token()).json();
        JsonNode hourly = api.get(path, c.company().token()).json();
        List<Map<String, Object>> rows = rollupRows(c.company().id());
        assertThat(daily.at("/totals/messages").asLong()).isEqualTo(4);

        jdbc.sql("UPDATE analytics_state SET rebuild_requested = TRUE WHERE id = 1").update();
        assertThat(maintenance.rebuild()).isPositive();
        assertThat(jdbc.sql("SELECT rebuild_requested FROM analytics_state").query(Boolean.class).single()).isFalse();
        assertThat(maintenance.rebuild()).as("nothing requested").isEqualTo(-1);

        assertThat(rollupRows(c.company().id())).isEqualTo(rows);
        assertThat(api.get("/company/analytics?from=" + today + "&to=" + today, c.company().token()).json())
                .isEqualTo(daily);
        assertThat(api.get(path, c.company().token()).json()).isEqualTo(hourly);
    }

    private List<Map<String, Object>> rollupRows(UUID companyId) {
        return jdbc.sql("SELECT * FROM analytics_rollups WHERE company_id = ? ORDER BY grain, agent_id, bucket_start")
                .param(companyId).query().listOfRows();
    }

    @Test
    void rawEventsAndGapQuestionsExpireWhileRollupsStay() {
        Company c = companyWithTraffic();
        Instant old = Instant.now().minus(200, ChronoUnit.DAYS);
        UUID oldEvent = Ids.newId();
        jdbc.sql("INSERT INTO analytics_events (id, company_id, agent_id, type, occurred_at) VALUES (?, ?, ?, "
                + "'widget_open', ?)").params(oldEvent, c.company().id(), c.agentId(), old.atOffset(ZoneOffset.UTC))
                .update();
        UUID oldGap = Ids.newId();
        jdbc.sql("INSERT INTO analytics_gaps (id, company_id, agent_id, question, embedding, asked_at) VALUES "
                + "(?, ?, ?, 'old question', ?, ?)").params(oldGap, c.company().id(), c.agentId(), new byte[16],
                        old.atOffset(ZoneOffset.UTC)).update();
        long recentEvents = countEvents(c.company().id());
        long rollups = rollupRows(c.company().id()).size();

        maintenance.deleteExpired(Instant.now().minus(90, ChronoUnit.DAYS));

        assertThat(countEvents(c.company().id())).isEqualTo(recentEvents - 1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM analytics_events WHERE id = ?").param(oldEvent).query(Long.class)
                .single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM analytics_gaps WHERE id = ?").param(oldGap).query(Long.class)
                .single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM analytics_gaps WHERE company_id = ?").param(c.company().id())
                .query(Long.class).single()).as("recent gaps stay").isPositive();
        assertThat(rollupRows(c.company().id())).hasSize((int) rollups);
    }

    private long countEvents(UUID companyId) {
        return jdbc.sql("SELECT COUNT(*) FROM analytics_events WHERE company_id = ?").param(companyId)
                .query(Long.class).single();
    }

    @Test
    void deletingAnAgentDeletesItsAnalytics() {
        Company c = companyWithTraffic();
        List<String> tables = List.of("analytics_events", "analytics_rollups", "analytics_user_sets",
                "analytics_questions", "analytics_conversations", "analytics_votes", "analytics_gaps");
        assertThat(rowsOfAgent("analytics_rollups", c.agentId())).isPositive();
        assertThat(rowsOfAgent("analytics_user_sets", c.agentId())).isPositive();
        assertThat(rowsOfAgent("analytics_questions", c.agentId())).isPositive();
        assertThat(api.delete("/company/agents/" + c.agentId(), c.company().token()).status()).isEqualTo(204);
        for (String table : tables) {
            assertThat(rowsOfAgent(table, c.agentId())).as(table).isZero();
        }
    }

    private long rowsOfAgent(String table, UUID agentId) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE agent_id = ?").param(agentId).query(Long.class)
                .single();
    }

    @Test
    void pastDaysKeepOnlyTheirMostAskedQuestions() {
        Company c = companyWithTraffic();
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Instant pastDay = today.minus(3, ChronoUnit.DAYS);
        for (int i = 0; i < 60; i++) {
            jdbc.sql("INSERT INTO analytics_questions (day_start, company_id, agent_id, question_key, question, asked,"
                    + " answered) VALUES (?, ?, ?, ?, ?, ?, 0)").params(pastDay.atOffset(ZoneOffset.UTC),
                            c.company().id(), c.agentId(), "question " + i, "Question " + i, 100 + i).update();
        }
        jdbc.sql("UPDATE analytics_state SET questions_pruned_until = ? WHERE id = 1")
                .param(pastDay.atOffset(ZoneOffset.UTC)).update();

        maintenance.pruneQuestions(today);

        List<Long> kept = jdbc.sql("SELECT asked FROM analytics_questions WHERE agent_id = ? AND day_start = ? "
                + "ORDER BY asked").params(c.agentId(), pastDay.atOffset(ZoneOffset.UTC)).query(Long.class).list();
        assertThat(kept).hasSize(50);
        assertThat(kept.get(0)).as("the ten least asked went").isEqualTo(110);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM analytics_questions WHERE agent_id = ? AND day_start = ?")
                .params(c.agentId(), today.atOffset(ZoneOffset.UTC)).query(Long.class).single())
                .as("today is not trimmed").isEqualTo(3);
    }
}
