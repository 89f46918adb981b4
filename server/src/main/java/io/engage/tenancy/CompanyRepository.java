package io.engage.tenancy;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

import io.engage.common.PageQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class CompanyRepository {

    private final JdbcClient jdbc;

    CompanyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Company company) {
        jdbc.sql("INSERT INTO companies (id, name, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")
                .params(company.id(), company.name(), company.status(), sql(company.createdAt()),
                        sql(company.updatedAt()))
                .update();
    }

    Optional<Company> find(UUID id) {
        return jdbc.sql("SELECT * FROM companies WHERE id = ?").param(id).query(CompanyRepository::map).optional();
    }

    List<Company> findAll(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT * FROM companies WHERE id IN (:ids)").param("ids", ids)
                .query(CompanyRepository::map).list();
    }

    List<Company> list(PageQuery page, String nameContains) {
        StringBuilder sql = new StringBuilder("SELECT * FROM companies WHERE 1 = 1");
        var params = new java.util.ArrayList<Object>();
        if (page.after() != null) {
            sql.append(" AND id > ?");
            params.add(page.after());
        }
        if (nameContains != null && !nameContains.isBlank()) {
            sql.append(" AND LOWER(name) LIKE ? ESCAPE '\\'");
            params.add("%" + escapeLike(nameContains.trim().toLowerCase(java.util.Locale.ROOT)) + "%");
        }
        sql.append(" ORDER BY id LIMIT ?");
        params.add(page.fetchSize());
        return jdbc.sql(sql.toString()).params(params).query(CompanyRepository::map).list();
    }

    boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM companies WHERE id = ?").param(id).update() == 1;
    }

    private static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Company map(ResultSet rs, int row) throws SQLException {
        return new Company(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("status"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }
}
