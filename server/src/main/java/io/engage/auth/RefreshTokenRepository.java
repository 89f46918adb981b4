package io.engage.auth;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class RefreshTokenRepository {

    record RefreshTokenRow(UUID id, UUID userId, UUID familyId, Instant expiresAt, Instant rotatedAt,
            Instant revokedAt) {
    }

    private final JdbcClient jdbc;

    RefreshTokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, UUID userId, UUID familyId, String tokenHash, Instant createdAt, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(id, userId, familyId, tokenHash, sql(createdAt), sql(expiresAt)).update();
    }

    Optional<RefreshTokenRow> findByHash(String tokenHash) {
        return jdbc.sql("SELECT * FROM refresh_tokens WHERE token_hash = ?").param(tokenHash)
                .query((rs, row) -> new RefreshTokenRow(rs.getObject("id", UUID.class),
                        rs.getObject("user_id", UUID.class), rs.getObject("family_id", UUID.class),
                        instant(rs, "expires_at"), instant(rs, "rotated_at"), instant(rs, "revoked_at")))
                .optional();
    }

    /** Marks the token used; false when another request rotated it first. */
    boolean markRotated(UUID id, Instant at) {
        return jdbc.sql("UPDATE refresh_tokens SET rotated_at = ? WHERE id = ? AND rotated_at IS NULL")
                .params(sql(at), id).update() == 1;
    }

    void revokeFamily(UUID familyId, Instant at) {
        jdbc.sql("UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL")
                .params(sql(at), familyId).update();
    }

    int deleteExpired(Instant before) {
        return jdbc.sql("DELETE FROM refresh_tokens WHERE expires_at < ?").param(sql(before)).update();
    }
}
