package io.engage.endusers;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

import io.engage.cluster.AgentStamps;
import io.engage.common.PageQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class EndUserRepository {

    private final JdbcClient jdbc;
    private final AgentStamps stamps;

    EndUserRepository(JdbcClient jdbc, AgentStamps stamps) {
        this.jdbc = jdbc;
        this.stamps = stamps;
    }

    /** End-users of one agent within one company (company-facing: always filtered by tenant). */
    List<EndUser> list(UUID companyId, UUID agentId, String search, PageQuery page) {
        StringBuilder sql = new StringBuilder("SELECT * FROM end_users WHERE company_id = ? AND agent_id = ?");
        List<Object> params = new ArrayList<>(List.of(companyId, agentId));
        if (search != null && !search.isBlank()) {
            sql.append(" AND (LOWER(external_id) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(name, '')) LIKE ? ESCAPE '\\'"
                    + " OR LOWER(COALESCE(email, '')) LIKE ? ESCAPE '\\')");
            String like = "%" + search.trim().toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\")
                    .replace("%", "\\%").replace("_", "\\_") + "%";
            params.addAll(List.of(like, like, like));
        }
        if (page.after() != null) {
            sql.append(" AND id > ?");
            params.add(page.after());
        }
        sql.append(" ORDER BY id LIMIT ?");
        params.add(page.fetchSize());
        return jdbc.sql(sql.toString()).params(params).query(EndUserRepository::map).list();
    }

    Optional<EndUser> find(UUID companyId, UUID agentId, UUID endUserId) {
        return jdbc.sql("SELECT * FROM end_users WHERE id = ? AND agent_id = ? AND company_id = ?")
                .params(endUserId, agentId, companyId).query(EndUserRepository::map).optional();
    }

    Optional<EndUser> findByExternalId(UUID companyId, UUID agentId, String externalId) {
        return jdbc.sql("SELECT * FROM end_users WHERE agent_id = ? AND external_id = ? AND company_id = ?")
                .params(agentId, externalId, companyId).query(EndUserRepository::map).optional();
    }

    /** Marks the end-user seen now (and refreshes name/email when given); false when there is no such end-user. */
    boolean touch(UUID companyId, UUID agentId, String externalId, String name, String email, Instant now) {
        return jdbc.sql("""
                UPDATE end_users SET last_seen_at = ?, name = COALESCE(?, name), email = COALESCE(?, email)
                WHERE agent_id = ? AND external_id = ? AND company_id = ?""")
                .params(sql(now), name, email, agentId, externalId, companyId).update() == 1;
    }

    /** Inserts unless another request inserted the same (agent, external id) first. */
    void insertIfAbsent(UUID id, UUID companyId, UUID agentId, String externalId, String name, String email,
            Instant now) {
        jdbc.sql("""
                INSERT INTO end_users (id, agent_id, company_id, external_id, name, email, blocked, first_seen_at,
                  last_seen_at, conversation_count)
                VALUES (?, ?, ?, ?, ?, ?, FALSE, ?, ?, 0) ON CONFLICT DO NOTHING""")
                .params(id, agentId, companyId, externalId, name, email, sql(now), sql(now)).update();
    }

    boolean setBlocked(UUID companyId, UUID agentId, UUID endUserId, boolean blocked) {
        boolean updated = jdbc.sql("UPDATE end_users SET blocked = ? WHERE id = ? AND agent_id = ? AND company_id = ?")
                .params(blocked, endUserId, agentId, companyId).update() == 1;
        // after the write: without a transaction the stamp is published at once
        stamps.changed(agentId);
        return updated;
    }

    void incrementConversations(UUID companyId, UUID endUserId) {
        jdbc.sql("UPDATE end_users SET conversation_count = conversation_count + 1 WHERE id = ? AND company_id = ?")
                .params(endUserId, companyId).update();
    }

    private static EndUser map(ResultSet rs, int row) throws SQLException {
        return new EndUser(rs.getObject("id", UUID.class), rs.getObject("agent_id", UUID.class),
                rs.getString("external_id"), rs.getString("name"), rs.getString("email"), rs.getBoolean("blocked"),
                instant(rs, "first_seen_at"), instant(rs, "last_seen_at"), rs.getLong("conversation_count"));
    }
}
