package io.engage.endusers;

import static io.engage.common.Times.instant;

import io.engage.common.PageQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class EndUserRepository {

    private final JdbcClient jdbc;

    EndUserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
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

    private static EndUser map(ResultSet rs, int row) throws SQLException {
        return new EndUser(rs.getObject("id", UUID.class), rs.getObject("agent_id", UUID.class),
                rs.getString("external_id"), rs.getString("name"), rs.getString("email"), rs.getBoolean("blocked"),
                instant(rs, "first_seen_at"), instant(rs, "last_seen_at"), 0);
    }
}
