package io.engage.common;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Re-runs a transactional call that lost a lock conflict. A delete cascading over rows that the turn writer is
 * storing at that moment can be chosen as the deadlock victim (PostgreSQL) or time out waiting (H2); the conflict is
 * transient, so the caller should not see it. Call from outside any transaction, with a {@code @Transactional} target:
 * each attempt is then a transaction of its own.
 */
public final class LockConflicts {

    private static final Logger log = LoggerFactory.getLogger(LockConflicts.class);
    static final int ATTEMPTS = 4;

    private LockConflicts() {
    }

    public static void retry(String what, Runnable transactionalCall) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // inside a transaction a retry would run in the same, already failed transaction
            transactionalCall.run();
            return;
        }
        for (int attempt = 1;; attempt++) {
            try {
                transactionalCall.run();
                return;
            } catch (PessimisticLockingFailureException conflict) {
                if (attempt == ATTEMPTS) {
                    throw conflict;
                }
                log.info("{} lost a lock conflict (attempt {} of {}), retrying: {}", what, attempt, ATTEMPTS,
                        conflict.getMostSpecificCause().getMessage());
                long backoffMillis = 25L * attempt + ThreadLocalRandom.current().nextLong(25);
                LockSupport.parkNanos(backoffMillis * 1_000_000);
            }
        }
    }
}
