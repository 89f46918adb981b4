package io.engage.auth;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class OidcLoginCodeRepository {

    record CodeRow(String codeHash, String bindingHash, UUID userId, String provider, Instant expiresAt,
            Instant usedAt, UUID familyId) {
    }

    private final JdbcClient jdbc;

    OidcLoginCodeRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String codeHash, String bindingHash, UUID userId, String provider, Instant createdAt,
            Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO oidc_login_codes (code_hash, binding_hash, user_id, provider, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(codeHash, bindingHash, userId, provider, sql(createdAt), sql(expiresAt)).update();
    }

    Optional<CodeRow> find(String codeHash) {
        return jdbc.sql("SELECT * FROM oidc_login_codes WHERE code_hash = ?").param(codeHash)
                .query((rs, row) -> new CodeRow(rs.getString("code_hash"), rs.getString("binding_hash"),
                        rs.getObject("user_id", UUID.class), rs.getString("provider"), instant(rs, "expires_at"),
                        instant(rs, "used_at"), rs.getObject("family_id", UUID.class)))
                .optional();
    }

    /** Marks the code used by the token family issued for it; false when another request used it first. */
    boolean markUsed(String codeHash, Instant at, UUID familyId) {
        return jdbc.sql("""
                UPDATE oidc_login_codes SET used_at = ?, family_id = ?
                WHERE code_hash = ? AND used_at IS NULL""")
                .params(sql(at), familyId, codeHash).update() == 1;
    }

    int deleteExpired(Instant before) {
        return jdbc.sql("DELETE FROM oidc_login_codes WHERE expires_at < ?").param(sql(before)).update();
    }
}
