package io.engage.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code engage.auth.*}. */
@ConfigurationProperties(prefix = "engage.auth")
record AuthProperties(
        @DefaultValue("engage") String issuer,
        @DefaultValue("15m") Duration accessTokenTtl,
        @DefaultValue("30d") Duration refreshTokenTtl,
        @DefaultValue("10") int loginFailuresPerAccount,
        @DefaultValue("15m") Duration loginFailuresWindow,
        @DefaultValue("30") int loginAttemptsPerAddressPerMinute,
        @DefaultValue("20") int signupsPerAddressPerHour) {
}
