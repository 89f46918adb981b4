package io.engage.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;

class LockConflictsTest {

    @Test
    void aCallThatLosesALockConflictIsRunAgainUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        LockConflicts.retry("test", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new CannotAcquireLockException("deadlock detected");
            }
        });
        assertThat(calls).hasValue(3);
    }

    @Test
    void aConflictThatPersistsIsRethrownAfterTheLastAttempt() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> LockConflicts.retry("test", () -> {
            calls.incrementAndGet();
            throw new CannotAcquireLockException("deadlock detected");
        })).isInstanceOf(PessimisticLockingFailureException.class);
        assertThat(calls).hasValue(LockConflicts.ATTEMPTS);
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> LockConflicts.retry("test", () -> {
            calls.incrementAndGet();
            throw new DataIntegrityViolationException("duplicate");
        })).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(calls).hasValue(1);
    }
}
