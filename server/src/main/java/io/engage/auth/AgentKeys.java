package io.engage.auth;

import static io.engage.common.Times.instant;
import static io.engage.common.Times.sql;

import io.engage.cluster.AgentStamps;
import io.engage.common.Ids;
import io.engage.common.Times;
import io.engage.crypto.SecretCipher;
import jakarta.annotation.PreDestroy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
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

    private static final Logger log = LoggerFactory.getLogger(AgentKeys.class);

    /** A key's latest use on this node that is not written yet. */
    private record KeyUse(UUID companyId, Instant at) {
    }

    private final JdbcClient jdbc;
    private final AgentStamps stamps;
    /** Key id → its latest use not yet written (see {@link #used}). */
    private final Map<UUID, KeyUse> unwrittenUses = new ConcurrentHashMap<>();

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

    /**
     * Notes that a key authenticated a call, for the key list's "last used". Calls never wait for it: uses are kept
     * in memory and written every 30 seconds ({@link #writeUses}), so "last used" is at most that late (and a node
     * that crashes loses its last half minute of it). A busy key is noted at most once a second.
     */
    public void used(KeyOwner owner) {
        KeyUse noted = unwrittenUses.get(owner.keyId());
        Instant now = Times.now();
        if (noted == null || noted.at().plusSeconds(1).isBefore(now)) {
            unwrittenUses.put(owner.keyId(), new KeyUse(owner.companyId(), now));
        }
    }

    /**
     * Writes the uses noted since the last time; "last used" never moves back (other nodes write theirs too).
     * Synchronized, so that a caller (a test waiting for background writes) also waits for a scheduled write under
     * way. Not a {@code WriteBarrier}: those are awaited inside read-only transactions, where this cannot write.
     */
    @Scheduled(fixedDelayString = "PT30S", initialDelayString = "PT30S")
    @PreDestroy
    public synchronized void writeUses() {
        for (Map.Entry<UUID, KeyUse> noted : unwrittenUses.entrySet()) {
            UUID keyId = noted.getKey();
            KeyUse use = noted.getValue();
            if (!unwrittenUses.remove(keyId, use)) {
                continue; // a later use came in meanwhile: written next time
            }
            try {
                jdbc.sql("""
                        UPDATE agent_api_keys SET last_used_at = ?
                        WHERE id = ? AND company_id = ? AND (last_used_at IS NULL OR last_used_at < ?)""")
                        .params(sql(use.at()), keyId, use.companyId(), sql(use.at())).update();
            } catch (DataAccessException e) {
                unwrittenUses.merge(keyId, use, (later, earlier) -> later.at().isAfter(earlier.at()) ? later : earlier);
                log.warn("Could not write when API keys were last used (will retry): {}", e.getMessage());
                return;
            }
        }
    }

    private static ApiKeyInfo mapInfo(ResultSet rs, int row) throws SQLException {
        Instant revokedAt = instant(rs, "revoked_at");
        return new ApiKeyInfo(rs.getObject("id", UUID.class), rs.getString("prefix"), instant(rs, "created_at"),
                revokedAt, instant(rs, "last_used_at"), revokedAt == null);
    }
}
