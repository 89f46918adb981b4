package io.engage.tenancy;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

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
class UserRepository {

    /** A user row with its password hash: never leaves this module. */
    record Credentials(User user, String passwordHash) {
    }

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(User user, String passwordHash) {
        jdbc.sql("""
                INSERT INTO users (id, company_id, email, password_hash, role, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(user.id(), user.companyId(), user.email(), passwordHash, user.role().name(),
                        sql(user.createdAt()))
                .update();
    }

    Optional<Credentials> findByEmail(String normalizedEmail) {
        return jdbc.sql("SELECT * FROM users WHERE email = ?").param(normalizedEmail)
                .query((rs, row) -> new Credentials(map(rs, row), rs.getString("password_hash"))).optional();
    }

    Optional<User> find(UUID id) {
        return jdbc.sql("SELECT * FROM users WHERE id = ?").param(id).query(UserRepository::map).optional();
    }

    boolean existsByEmail(String normalizedEmail) {
        return jdbc.sql("SELECT COUNT(*) FROM users WHERE email = ?").param(normalizedEmail)
                .query(Long.class).single() > 0;
    }

    boolean anyWithRole(Role role) {
        return jdbc.sql("SELECT COUNT(*) FROM users WHERE role = ?").param(role.name()).query(Long.class).single() > 0;
    }

    List<User> listByCompany(UUID companyId, PageQuery page) {
        List<Object> params = new ArrayList<>();
        params.add(companyId);
        String after = "";
        if (page.after() != null) {
            after = " AND id > ?";
            params.add(page.after());
        }
        params.add(page.fetchSize());
        return jdbc.sql("SELECT * FROM users WHERE company_id = ?" + after + " ORDER BY id LIMIT ?")
                .params(params).query(UserRepository::map).list();
    }

    long countByCompanyAndRole(UUID companyId, Role role) {
        return jdbc.sql("SELECT COUNT(*) FROM users WHERE company_id = ? AND role = ?")
                .params(companyId, role.name()).query(Long.class).single();
    }

    boolean updateRole(UUID companyId, UUID userId, Role role) {
        return jdbc.sql("UPDATE users SET role = ? WHERE id = ? AND company_id = ?")
                .params(role.name(), userId, companyId).update() == 1;
    }

    boolean deleteInCompany(UUID companyId, UUID userId) {
        return jdbc.sql("DELETE FROM users WHERE id = ? AND company_id = ?").params(userId, companyId).update() == 1;
    }

    void updatePasswordHash(UUID userId, String passwordHash) {
        jdbc.sql("UPDATE users SET password_hash = ? WHERE id = ?").params(passwordHash, userId).update();
    }

    void touchLogin(UUID userId, Instant at) {
        jdbc.sql("UPDATE users SET last_login_at = ? WHERE id = ?").params(sql(at), userId).update();
    }

    private static User map(ResultSet rs, int row) throws SQLException {
        return new User(rs.getObject("id", UUID.class), rs.getObject("company_id", UUID.class),
                rs.getString("email"), Role.valueOf(rs.getString("role")), instant(rs, "created_at"),
                instant(rs, "last_login_at"));
    }
}
