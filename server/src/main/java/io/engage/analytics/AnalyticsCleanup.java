package io.engage.analytics;

import io.engage.agents.AgentDeleted;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Deletes a deleted agent's rollups, user sets and question counts in the deleting transaction (the other analytics
 * tables go by their foreign keys; these have none, see V7__analytics.sql).
 */
@Component
class AnalyticsCleanup {

    private static final List<String> TABLES = List.of("analytics_rollups", "analytics_user_sets",
            "analytics_questions");

    private final JdbcTemplate jdbc;

    AnalyticsCleanup(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void agentDeleted(AgentDeleted event) {
        for (String table : TABLES) {
            jdbc.update("DELETE FROM " + table + " WHERE company_id = ? AND agent_id = ?", event.companyId(),
                    event.agentId());
        }
    }
}
