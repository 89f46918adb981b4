package io.engage.auth;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

import io.engage.cluster.AgentStamps;
import io.engage.common.Ids;
import io.engage.common.Times;
import io.engage.crypto.SecretCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Widget API keys of agents ({@code X-Engage-Key}). A key is shown once when issued; only its SHA-256 is stored
 * (keys carry 192 random bits, so a fast hash is safe). Callers must have checked that the agent belongs to the
 * company; every statement is filtered by company as well.
 */
@Service
public class AgentKeys {

    private static final String KEY_PREFIX = "ek_";
    private static final int DISPLAY_PREFIX_LENGTH = 11;

    /** A newly issued key: the only time the secret is visible. */
    public record IssuedKey(UUID id, String key, String prefix, Instant createdAt) {
    }

    /** A key as listed: never the secret. */
    public record ApiKeyInfo(UUID id, String prefix, Instant createdAt, Instant revokedAt, Instant lastUsedAt,
            boolean active) {
    }

    /** Whom a presented key belongs to. */
    public record KeyOwner(UUID keyId, UUID agentId, UUID companyId) {
    }

    private final JdbcClient jdbc;
    private final AgentStamps stamps;

    AgentKeys(JdbcClient jdbc, AgentStamps stamps) {
        this.jdbc = jdbc;
        this.stamps = stamps;
    }

    @Transactional
    public IssuedKey issue(UUID companyId, UUID agentId) {
        String key = KEY_PREFIX + SecretCipher.randomToken(24);
        IssuedKey issued = new IssuedKey(Ids.newId(), key, key.substring(0, DISPLAY_PREFIX_LENGTH), Times.now());
        jdbc.sql("""
                INSERT INTO agent_api_keys (id, agent_id, company_id, prefix, key_hash, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(issued.id(), agentId, companyId, issued.prefix(), SecretCipher.sha256Hex(key),
                        sql(issued.createdAt()))
                .update();
        return issued;
    }

    /**
     * Registers a key chosen by the server itself (the demo agent's, derived from the master key so it survives
     * restarts); does nothing when it is registered already.
     */
    @Transactional
    public void register(UUID companyId, UUID agentId, String key) {
        if (!key.startsWith(KEY_PREFIX) || resolve(key).isPresent()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO agent_api_keys (id, agent_id, company_id, prefix, key_hash, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(Ids.newId(), agentId, companyId, key.substring(0, DISPLAY_PREFIX_LENGTH),
                        SecretCipher.sha256Hex(key), sql(Times.now()))
                .update();
    }

    /** Issues a new key and revokes every other active key of the agent at once. */
    @Transactional
    public IssuedKey rotate(UUID companyId, UUID agentId) {
        jdbc.sql("UPDATE agent_api_keys SET revoked_at = ? WHERE agent_id = ? AND company_id = ? AND revoked_at IS NULL")
                .params(sql(Times.now()), agentId, companyId).update();
        stamps.changed(agentId);
        return issue(companyId, agentId);
    }

    /** Revokes one key; false when the agent has no such key. Revoking twice is harmless. */
    @Transactional
    public boolean revoke(UUID companyId, UUID agentId, UUID keyId) {
        boolean exists = jdbc.sql("SELECT COUNT(*) FROM agent_api_keys WHERE id = ? AND agent_id = ? AND company_id = ?")
                .params(keyId, agentId, companyId).query(Long.class).single() > 0;
        if (exists) {
            jdbc.sql("UPDATE agent_api_keys SET revoked_at = ? WHERE id = ? AND company_id = ? AND revoked_at IS NULL")
                    .params(sql(Times.now()), keyId, companyId).update();
            stamps.changed(agentId);
        }
        return exists;
    }

    @Transactional(readOnly = true)
    public List<ApiKeyInfo> list(UUID companyId, UUID agentId) {
        return jdbc.sql("SELECT * FROM agent_api_keys WHERE agent_id = ? AND company_id = ? ORDER BY id")
                .params(agentId, companyId).query(AgentKeys::mapInfo).list();
    }

    /** The ids of the agent's active keys (the agent runtime caches them with the agent). */
    @Transactional(readOnly = true)
    public List<UUID> activeKeyIds(UUID agentId) {
        return jdbc.sql("SELECT id FROM agent_api_keys WHERE agent_id = ? AND revoked_at IS NULL").param(agentId)
                .query(UUID.class).list();
    }

    /** The owner of an active key, if the presented key is one. */
    @Transactional(readOnly = true)
    public Optional<KeyOwner> resolve(String presentedKey) {
        if (presentedKey == null || !presentedKey.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT id, agent_id, company_id FROM agent_api_keys WHERE key_hash = ? AND revoked_at IS NULL")
                .param(SecretCipher.sha256Hex(presentedKey))
                .query((rs, row) -> new KeyOwner(rs.getObject("id", UUID.class), rs.getObject("agent_id", UUID.class),
                        rs.getObject("company_id", UUID.class)))
                .optional();
    }

    private static ApiKeyInfo mapInfo(ResultSet rs, int row) throws SQLException {
        Instant revokedAt = instant(rs, "revoked_at");
        return new ApiKeyInfo(rs.getObject("id", UUID.class), rs.getString("prefix"), instant(rs, "created_at"),
                revokedAt, instant(rs, "last_used_at"), revokedAt == null);
    }
}
