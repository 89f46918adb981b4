package io.engage.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.engage.common.ApiProblem;
import io.engage.crypto.SecretCipher;
import io.engage.web.RateLimiter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final LoginThrottle throttle = new LoginThrottle(new AuthProperties("engage", Duration.ofMinutes(15),
            Duration.ofDays(30), 3, Duration.ofMinutes(15), 5, 2), RateLimiter.inProcess(), keyedDigest());

    private static SecretCipher keyedDigest() {
        SecretCipher cipher = mock(SecretCipher.class);
        when(cipher.blindIndex(anyString(), anyString())).thenAnswer(call -> "digest-of-" + call.getArgument(1));
        return cipher;
    }

    @Test
    void everyAttemptFromOneAddressCounts() {
        for (int i = 0; i < 5; i++) {
            throttle.beforeLogin("10.0.0.1", "user" + i + "@example.com");
        }
        assertThatThrownBy(() -> throttle.beforeLogin("10.0.0.1", "another@example.com"))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                    assertThat(problem.getStatusCode().value()).isEqualTo(429);
                    assertThat(problem.getHeaders().getFirst("Retry-After")).isNotNull();
                });
        throttle.beforeLogin("10.0.0.2", "another@example.com");
    }

    @Test
    void onlyFailuresCountPerAccountAndSuccessResets() {
        for (int i = 0; i < 2; i++) {
            throttle.beforeLogin("a" + i, "victim@example.com");
            throttle.loginFailed("victim@example.com");
        }
        throttle.loginSucceeded("victim@example.com");
        for (int i = 0; i < 3; i++) {
            throttle.beforeLogin("b" + i, "victim@example.com");
            throttle.loginFailed("victim@example.com");
        }
        assertThatThrownBy(() -> throttle.beforeLogin("c", "victim@example.com")).isInstanceOf(ApiProblem.class);
    }

    @Test
    void signupsAreLimitedPerAddress() {
        throttle.beforeSignup("10.0.0.9");
        throttle.beforeSignup("10.0.0.9");
        assertThatThrownBy(() -> throttle.beforeSignup("10.0.0.9")).isInstanceOf(ApiProblem.class);
    }
}
