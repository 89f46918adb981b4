package io.engage.endusers;

import io.engage.cluster.AgentStamps;
import io.engage.cluster.StampedCache;
import io.engage.common.Ids;
import io.engage.common.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** End-user records for the agent runtime: created on first contact, seen on every turn. */
@Service
public class EndUsers {

    private static final Duration SEEN_RESOLUTION = Duration.ofMinutes(1);

    private record Visitor(UUID agentId, String externalId) {
    }

    private final EndUserRepository repository;
    /** Read on every question; blocking or unblocking moves the agent's stamp, so a block acts at once anyway. */
    private final StampedCache<Visitor, EndUser> known;

    EndUsers(EndUserRepository repository, AgentStamps stamps) {
        this.repository = repository;
        this.known = stamps.newCache(200_000);
    }

    /**
     * The end-user {@code externalId} of the agent, created on first contact and marked seen now. {@code name} and
     * {@code email}, when given, replace the stored ones. No transaction: each statement stands alone (the insert
     * is idempotent), and the usual case, a visitor seen within the minute, is answered from the cache without
     * touching the database at all.
     */
    public EndUser contact(UUID companyId, UUID agentId, String externalId, String name, String email) {
        Instant now = Times.now();
        Visitor visitor = new Visitor(agentId, externalId);
        EndUser user = known.get(agentId, visitor,
                () -> repository.findByExternalId(companyId, agentId, externalId).orElse(null));
        if (user != null) {
            // "last seen" to the minute is enough, and skipping the write keeps the usual answer off the database
            boolean seenRecently = user.lastSeenAt().isAfter(now.minus(SEEN_RESOLUTION));
            boolean sameProfile = (name == null || name.equals(user.name()))
                    && (email == null || email.equals(user.email()));
            if (seenRecently && sameProfile) {
                return user;
            }
            repository.touch(companyId, agentId, externalId, name, email, now);
        } else {
            repository.insertIfAbsent(Ids.newId(), companyId, agentId, externalId, name, email, now);
        }
        known.invalidate(visitor);
        return repository.findByExternalId(companyId, agentId, externalId)
                .orElseThrow(() -> new IllegalStateException("end-user vanished while being created"));
    }

    @Transactional(readOnly = true)
    public Optional<EndUser> find(UUID companyId, UUID agentId, UUID endUserId) {
        return repository.find(companyId, agentId, endUserId);
    }

    @Transactional(readOnly = true)
    public Optional<EndUser> findByExternalId(UUID companyId, UUID agentId, String externalId) {
        return repository.findByExternalId(companyId, agentId, externalId);
    }

    /** Counts a new conversation of the end-user (shown in end-user lists). */
    @Transactional
    public void conversationStarted(UUID companyId, UUID endUserId) {
        repository.incrementConversations(companyId, endUserId);
    }
}
