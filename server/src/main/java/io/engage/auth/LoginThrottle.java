package io.engage.auth;

import io.engage.common.ApiProblem;
import io.engage.crypto.SecretCipher;
import io.engage.web.RateLimiter;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Brute-force protection for sign-in, on the shared token buckets of {@link RateLimiter} (in Redis when configured, so
 * that a second node does not double an attacker's budget). Per account only failed attempts count, so a legitimate
 * user is never throttled by their own successes; per client address every attempt counts, which slows password
 * spraying across accounts. Sign-ups are limited per address.
 */
@Component
class LoginThrottle {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);

    private final AuthProperties properties;
    private final RateLimiter buckets;
    private final SecretCipher cipher;

    LoginThrottle(AuthProperties properties, RateLimiter buckets, SecretCipher cipher) {
        this.properties = properties;
        this.buckets = buckets;
        this.cipher = cipher;
    }

    /** Throws 429 when this address or this account may not try now. */
    void beforeLogin(String address, String account) {
        beforeCodeExchange(address);
        long wait = buckets.secondsUntilAvailable(failuresKey(account), properties.loginFailuresPerAccount(),
                properties.loginFailuresWindow());
        if (wait > 0) {
            throw ApiProblem.tooManyRequests("Too many failed sign-ins for this account; try again later",
                    Duration.ofSeconds(wait));
        }
    }

    /** OIDC sign-in codes are unguessable; counting their exchanges per address still stops blind hammering. */
    void beforeCodeExchange(String address) {
        consume("login-address:" + address, properties.loginAttemptsPerAddressPerMinute(), MINUTE,
                "Too many sign-in attempts from your address");
    }

    void loginFailed(String account) {
        buckets.tryAcquire(failuresKey(account), properties.loginFailuresPerAccount(), properties.loginFailuresWindow());
    }

    void loginSucceeded(String account) {
        buckets.reset(failuresKey(account), properties.loginFailuresPerAccount(), properties.loginFailuresWindow());
    }

    void beforeSignup(String address) {
        consume("signup-address:" + address, properties.signupsPerAddressPerHour(), HOUR,
                "Too many sign-ups from your address");
    }

    /** A keyed digest: the shared store (Redis) holds no e-mail addresses, nor hashes one could look them up by. */
    private String failuresKey(String account) {
        return "login-failures:" + cipher.blindIndex("login-failures", account);
    }

    private void consume(String key, int capacity, Duration period, String message) {
        RateLimiter.Decision decision = buckets.tryAcquire(key, capacity, period);
        if (!decision.allowed()) {
            throw ApiProblem.tooManyRequests(message, Duration.ofSeconds(decision.retryAfterSeconds()));
        }
    }
}
