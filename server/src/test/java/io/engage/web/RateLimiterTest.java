package io.engage.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final Duration WINDOW = Duration.ofMinutes(15);

    private final AtomicLong cacheClock = new AtomicLong();
    private final RateLimiter limiter = RateLimiter.inProcess(cacheClock::get);

    @Test
    void aBucketTakesItsCapacityAndThenRefuses() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("k", 3, WINDOW).allowed()).isTrue();
        }
        RateLimiter.Decision refused = limiter.tryAcquire("k", 3, WINDOW);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isBetween(1L, WINDOW.toSeconds());
        assertThat(limiter.secondsUntilAvailable("k", 3, WINDOW)).isPositive();
    }

    @Test
    void anIdleBucketIsKeptForItsWholePeriodNotJustTwoMinutes() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("k", 3, WINDOW);
        }
        // five idle minutes: a bucket forgotten now would hand out a fresh budget
        cacheClock.addAndGet(Duration.ofMinutes(5).toNanos());
        assertThat(limiter.secondsUntilAvailable("k", 3, WINDOW)).isPositive();
        assertThat(limiter.tryAcquire("k", 3, WINDOW).allowed()).isFalse();
    }

    @Test
    void resetGivesTheWholeBudgetBackAndLimitsAreSeparateBuckets() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("k", 3, WINDOW);
        }
        assertThat(limiter.tryAcquire("k", 4, WINDOW).allowed()).as("another limit, another bucket").isTrue();
        limiter.reset("k", 3, WINDOW);
        assertThat(limiter.secondsUntilAvailable("k", 3, WINDOW)).isZero();
        assertThat(limiter.tryAcquire("k", 3, WINDOW).allowed()).isTrue();
    }
}
