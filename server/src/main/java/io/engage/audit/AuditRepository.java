package io.engage.audit;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

import io.engage.common.PageQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AuditRepository {

    /** A stored row; details is the JSON text. */
    record Row(UUID id, Instant occurredAt, UUID actorUserId, String actorEmail, String actorRole, UUID companyId,
            String action, String targetType, String targetId, String ip, String userAgent, String details) {
    }

    private final JdbcClient jdbc;

    AuditRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Row row) {
        jdbc.sql("""
                INSERT INTO audit_log (id, occurred_at, actor_user_id, actor_email, actor_role, company_id, action,
                  target_type, target_id, ip, user_agent, details)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(row.id(), sql(row.occurredAt()), row.actorUserId(), row.actorEmail(), row.actorRole(),
                        row.companyId(), row.action(), row.targetType(), row.targetId(), row.ip(), row.userAgent(),
                        row.details())
                .update();
    }

    /** Newest first: ids are time-ordered, so the keyset is the id, descending. */
    List<Row> list(AuditFilter filter, PageQuery page) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (filter.companyId() != null) {
            sql.append(" AND company_id = ?");
            params.add(filter.companyId());
        }
        if (filter.action() != null) {
            sql.append(" AND action = ?");
            params.add(filter.action());
        }
        if (filter.actorEmail() != null) {
            sql.append(" AND actor_email = ?");
            params.add(filter.actorEmail());
        }
        if (filter.from() != null) {
            sql.append(" AND occurred_at >= ?");
            params.add(sql(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" AND occurred_at < ?");
            params.add(sql(filter.to()));
        }
        if (page.after() != null) {
            sql.append(" AND id < ?");
            params.add(page.after());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(page.fetchSize());
        return jdbc.sql(sql.toString()).params(params).query((rs, n) -> new Row(rs.getObject("id", UUID.class),
                instant(rs, "occurred_at"), rs.getObject("actor_user_id", UUID.class), rs.getString("actor_email"),
                rs.getString("actor_role"), rs.getObject("company_id", UUID.class), rs.getString("action"),
                rs.getString("target_type"), rs.getString("target_id"), rs.getString("ip"),
                rs.getString("user_agent"), rs.getString("details"))).list();
    }
}
