package io.engage.agents;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.cluster.AgentStamps;
import io.engage.common.PageQuery;
import io.engage.common.WireEnum;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Agent rows. Company-facing reads and writes always filter by company_id. */
@Repository
class AgentRepository {

    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };
    private static final String COLUMNS = """
            id, company_id, name, description, system_prompt, greeting, tone, language, fallback_message, allowed_topics, handoff_message, status,
            llm_provider, llm_model, llm_base_url, llm_api_key_enc, llm_temperature, llm_max_tokens,
            retrieval_top_k, retrieval_min_score, widget_mode, widget_title, widget_primary_color, widget_position,
            widget_suggested_questions, widget_allowed_origins, widget_launcher_icon, widget_handoff_url, identity_enabled, identity_secret_enc,
            limit_requests_per_minute, limit_per_end_user_per_minute, created_at, updated_at""";
    /** What is read: the written columns plus the admin-only disabled_at (set by {@link #setDisabled}). */
    private static final String SELECTED = COLUMNS + ", disabled_at";

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final AgentStamps stamps;

    AgentRepository(JdbcClient jdbc, ObjectMapper json, AgentStamps stamps) {
        this.jdbc = jdbc;
        this.json = json;
        this.stamps = stamps;
    }

    void insert(AgentRow a) {
        jdbc.sql("INSERT INTO agents (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(a.id(), a.companyId(), a.name(), a.description(), a.systemPrompt(), a.greeting(),
                        a.tone().wire(), a.language(), a.fallbackMessage(), toJson(a.allowedTopics()), a.handoffMessage(),
                        a.status().wire(), a.llmProvider().wire(),
                        a.llmModel(), a.llmBaseUrl(), a.llmApiKeySealed(), a.llmTemperature(), a.llmMaxTokens(),
                        a.retrievalTopK(), a.retrievalMinScore(), a.widgetMode().wire(), a.widgetTitle(),
                        a.widgetPrimaryColor(), a.widgetPosition().wire(), toJson(a.suggestedQuestions()),
                        toJson(a.allowedOrigins()), a.launcherIcon().wire(), a.handoffUrl(), a.identityEnabled(),
                        a.identitySecretSealed(),
                        a.requestsPerMinute(), a.perEndUserPerMinute(), sql(a.createdAt()), sql(a.updatedAt()))
                .update();
    }

    /** Disables (at the given time) or enables (null) any company's agent; false when there is no such agent. */
    boolean setDisabled(UUID agentId, Instant disabledAt) {
        boolean updated = jdbc.sql("UPDATE agents SET disabled_at = ? WHERE id = ?").params(sql(disabledAt), agentId)
                .update() == 1;
        stamps.changed(agentId);
        return updated;
    }

    boolean update(AgentRow a) {
        boolean updated = jdbc.sql("""
                UPDATE agents SET name = ?, description = ?, system_prompt = ?, greeting = ?, tone = ?, language = ?,
                  fallback_message = ?, allowed_topics = ?, handoff_message = ?, status = ?, llm_provider = ?, llm_model = ?, llm_base_url = ?,
                  llm_api_key_enc = ?, llm_temperature = ?, llm_max_tokens = ?, retrieval_top_k = ?,
                  retrieval_min_score = ?, widget_mode = ?, widget_title = ?, widget_primary_color = ?,
                  widget_position = ?, widget_suggested_questions = ?, widget_allowed_origins = ?,
                  widget_launcher_icon = ?, widget_handoff_url = ?, identity_enabled = ?, identity_secret_enc = ?, limit_requests_per_minute = ?,
                  limit_per_end_user_per_minute = ?, updated_at = ?
                WHERE id = ? AND company_id = ?""")
                .params(a.name(), a.description(), a.systemPrompt(), a.greeting(), a.tone().wire(), a.language(),
                        a.fallbackMessage(), toJson(a.allowedTopics()), a.handoffMessage(), a.status().wire(),
                        a.llmProvider().wire(), a.llmModel(), a.llmBaseUrl(),
                        a.llmApiKeySealed(), a.llmTemperature(), a.llmMaxTokens(), a.retrievalTopK(),
                        a.retrievalMinScore(), a.widgetMode().wire(), a.widgetTitle(), a.widgetPrimaryColor(),
                        a.widgetPosition().wire(), toJson(a.suggestedQuestions()), toJson(a.allowedOrigins()),
                        a.launcherIcon().wire(), a.handoffUrl(), a.identityEnabled(), a.identitySecretSealed(), a.requestsPerMinute(), a.perEndUserPerMinute(),
                        sql(a.updatedAt()), a.id(), a.companyId())
                .update() == 1;
        stamps.changed(a.id());
        return updated;
    }

    Optional<AgentRow> find(UUID companyId, UUID agentId) {
        return jdbc.sql("SELECT " + SELECTED + " FROM agents WHERE id = ? AND company_id = ?")
                .params(agentId, companyId).query(this::map).optional();
    }

    /** Platform-wide lookup, for platform admins and for runtime paths that resolved the company elsewhere. */
    Optional<AgentRow> findAnyCompany(UUID agentId) {
        return jdbc.sql("SELECT " + SELECTED + " FROM agents WHERE id = ?").param(agentId).query(this::map).optional();
    }

    /** One page of agents; companyId null means all companies (platform admin). */
    List<AgentRow> list(UUID companyId, AgentStatus status, PageQuery page) {
        StringBuilder sql = new StringBuilder("SELECT " + SELECTED + " FROM agents WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (companyId != null) {
            sql.append(" AND company_id = ?");
            params.add(companyId);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            params.add(status.wire());
        }
        if (page.after() != null) {
            sql.append(" AND id > ?");
            params.add(page.after());
        }
        sql.append(" ORDER BY id LIMIT ?");
        params.add(page.fetchSize());
        return jdbc.sql(sql.toString()).params(params).query(this::map).list();
    }

    List<UUID> idsOfCompany(UUID companyId) {
        return jdbc.sql("SELECT id FROM agents WHERE company_id = ?").param(companyId).query(UUID.class).list();
    }

    boolean delete(UUID companyId, UUID agentId) {
        boolean deleted = jdbc.sql("DELETE FROM agents WHERE id = ? AND company_id = ?").params(agentId, companyId)
                .update() == 1;
        stamps.changed(agentId);
        return deleted;
    }

    private AgentRow map(ResultSet rs, int row) throws SQLException {
        return new AgentRow(
                rs.getObject("id", UUID.class),
                rs.getObject("company_id", UUID.class),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("system_prompt"),
                rs.getString("greeting"),
                WireEnum.parse(Tone.class, rs.getString("tone")),
                rs.getString("language"),
                rs.getString("fallback_message"),
                fromJson(rs.getString("allowed_topics")),
                rs.getString("handoff_message"),
                WireEnum.parse(AgentStatus.class, rs.getString("status")),
                WireEnum.parse(LlmProvider.class, rs.getString("llm_provider")),
                rs.getString("llm_model"),
                rs.getString("llm_base_url"),
                rs.getString("llm_api_key_enc"),
                rs.getDouble("llm_temperature"),
                rs.getInt("llm_max_tokens"),
                rs.getInt("retrieval_top_k"),
                rs.getDouble("retrieval_min_score"),
                WireEnum.parse(WidgetMode.class, rs.getString("widget_mode")),
                rs.getString("widget_title"),
                rs.getString("widget_primary_color"),
                WireEnum.parse(WidgetPosition.class, rs.getString("widget_position")),
                fromJson(rs.getString("widget_suggested_questions")),
                fromJson(rs.getString("widget_allowed_origins")),
                WireEnum.parse(LauncherIcon.class, rs.getString("widget_launcher_icon")),
                rs.getString("widget_handoff_url"),
                rs.getBoolean("identity_enabled"),
                rs.getString("identity_secret_enc"),
                rs.getInt("limit_requests_per_minute"),
                rs.getInt("limit_per_end_user_per_minute"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "disabled_at"));
    }

    private String toJson(List<String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> fromJson(String value) {
        try {
            return value == null ? List.of() : List.copyOf(json.readValue(value, STRING_LIST));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Corrupt list column", e);
        }
    }
}
