package io.engage.endusers;

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

    private final EndUserRepository repository;

    EndUsers(EndUserRepository repository) {
        this.repository = repository;
    }

    /**
     * The end-user {@code externalId} of the agent, created on first contact and marked seen now. {@code name} and
     * {@code email}, when given, replace the stored ones.
     */
    @Transactional
    public EndUser contact(UUID companyId, UUID agentId, String externalId, String name, String email) {
        Instant now = Times.now();
        Optional<EndUser> known = repository.findByExternalId(companyId, agentId, externalId);
        if (known.isPresent()) {
            EndUser user = known.get();
            // "last seen" to the minute is enough, and skipping the write keeps an answer to one statement here
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
