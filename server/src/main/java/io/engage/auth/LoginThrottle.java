package io.engage.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.engage.common.ApiProblem;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Brute-force protection for sign-in (Bucket4j token buckets, per node). Per account only failed attempts count, so a
 * legitimate user is never throttled by their own successes; per client address every attempt counts, which slows
 * password spraying across accounts. Sign-ups are limited per address.
 */
@Component
class LoginThrottle {

    private final AuthProperties properties;
    private final Cache<String, Bucket> failuresPerAccount;
    private final Cache<String, Bucket> attemptsPerAddress;
    private final Cache<String, Bucket> signupsPerAddress;

    LoginThrottle(AuthProperties properties) {
        this.properties = properties;
        this.failuresPerAccount = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterAccess(properties.loginFailuresWindow()).build();
        this.attemptsPerAddress = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterAccess(Duration.ofMinutes(2)).build();
        this.signupsPerAddress = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterAccess(Duration.ofHours(2)).build();
    }

    /** Throws 429 when this address or this account may not try now. */
    void beforeLogin(String address, String account) {
        consume(attemptsPerAddress.get(address, a -> bucket(properties.loginAttemptsPerAddressPerMinute(),
                Duration.ofMinutes(1))), "Too many sign-in attempts from your address");
        Bucket failures = failures(account);
        if (failures.getAvailableTokens() <= 0) {
            long nanos = failures.estimateAbilityToConsume(1).getNanosToWaitForRefill();
            throw ApiProblem.tooManyRequests("Too many failed sign-ins for this account; try again later",
                    Duration.ofNanos(nanos));
        }
    }

    /** OIDC sign-in codes are unguessable; counting their exchanges per address still stops blind hammering. */
    void beforeCodeExchange(String address) {
        consume(attemptsPerAddress.get(address, a -> bucket(properties.loginAttemptsPerAddressPerMinute(),
                Duration.ofMinutes(1))), "Too many sign-in attempts from your address");
    }

    void loginFailed(String account) {
        failures(account).tryConsume(1);
    }

    void loginSucceeded(String account) {
        failuresPerAccount.invalidate(account);
    }

    void beforeSignup(String address) {
        consume(signupsPerAddress.get(address, a -> bucket(properties.signupsPerAddressPerHour(), Duration.ofHours(1))),
                "Too many sign-ups from your address");
    }

    private Bucket failures(String account) {
        return failuresPerAccount.get(account, a -> bucket(properties.loginFailuresPerAccount(),
                properties.loginFailuresWindow()));
    }

    private static void consume(Bucket bucket, String message) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw ApiProblem.tooManyRequests(message, Duration.ofNanos(probe.getNanosToWaitForRefill()));
        }
    }

    private static Bucket bucket(int capacity, Duration period) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, period).build())
                .build();
    }
}
