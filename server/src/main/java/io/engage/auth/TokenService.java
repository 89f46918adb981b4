package io.engage.auth;

import io.engage.common.ApiProblem;
import io.engage.common.Ids;
import io.engage.common.Times;
import io.engage.crypto.SecretCipher;
import io.engage.tenancy.User;
import io.engage.tenancy.UserAccounts;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issues short-lived JWT access tokens and long-lived opaque refresh tokens. Refresh tokens rotate on every use; a
 * rotated token presented again means it was stolen, so the whole family (that login's chain) is revoked.
 */
@Service
class TokenService {

    static final String ACCESS_TOKEN_TYPE = "access";
    private static final Logger log = LoggerFactory.getLogger(TokenService.class);

    private final JwtEncoder jwtEncoder;
    private final RefreshTokenRepository refreshTokens;
    private final UserAccounts accounts;
    private final AuthProperties properties;

    TokenService(JwtEncoder jwtEncoder, RefreshTokenRepository refreshTokens, UserAccounts accounts,
            AuthProperties properties) {
        this.jwtEncoder = jwtEncoder;
        this.refreshTokens = refreshTokens;
        this.accounts = accounts;
        this.properties = properties;
    }

    /** The token response of every sign-in endpoint. */
    record TokenResponse(String accessToken, String refreshToken, String tokenType, long expiresIn) {
    }

    @Transactional
    public TokenResponse issue(User user) {
        return issue(user, Ids.newId());
    }

    /** A new pair in the given refresh-token family (an OIDC code remembers it, to revoke it on replay). */
    TokenResponse issue(User user, UUID familyId) {
        Instant now = Times.now();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(properties.issuer())
                .subject(user.id().toString())
                .id(Ids.newId().toString())
                .issuedAt(now)
                .expiresAt(now.plus(properties.accessTokenTtl()))
                .claim("typ", ACCESS_TOKEN_TYPE)
                .claim("role", user.role().name());
        if (user.companyId() != null) {
            claims.claim("cid", user.companyId().toString());
        }
        String accessToken = jwtEncoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(),
                claims.build())).getTokenValue();
        String refreshToken = newRefreshToken();
        refreshTokens.insert(Ids.newId(), user.id(), familyId, SecretCipher.sha256Hex(refreshToken), now,
                now.plus(properties.refreshTokenTtl()));
        return new TokenResponse(accessToken, refreshToken, "Bearer", properties.accessTokenTtl().toSeconds());
    }

    /** Exchanges a refresh token for a new pair. Failures are committed (a reuse revocation must stick). */
    @Transactional(noRollbackFor = ApiProblem.class)
    public TokenResponse refresh(String rawRefreshToken) {
        Instant now = Times.now();
        RefreshTokenRepository.RefreshTokenRow row = refreshTokens.findByHash(SecretCipher.sha256Hex(rawRefreshToken))
                .orElseThrow(TokenService::invalidRefreshToken);
        if (row.revokedAt() != null || row.expiresAt().isBefore(now)) {
            throw invalidRefreshToken();
        }
        if (row.rotatedAt() != null || !refreshTokens.markRotated(row.id(), now)) {
            refreshTokens.revokeFamily(row.familyId(), now);
            log.warn("Refresh token reuse detected: userId={} family revoked", row.userId());
            throw ApiProblem.unauthorized("Refresh token was already used; sign in again");
        }
        User user = accounts.findActive(row.userId()).orElseThrow(TokenService::invalidRefreshToken);
        return issue(user, row.familyId());
    }

    /** Ends the sign-in session the refresh token belongs to. Unknown tokens are ignored (logout is idempotent). */
    @Transactional
    public void revoke(String rawRefreshToken) {
        refreshTokens.findByHash(SecretCipher.sha256Hex(rawRefreshToken))
                .ifPresent(row -> refreshTokens.revokeFamily(row.familyId(), Times.now()));
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    @Transactional
    public void purgeExpired() {
        int purged = refreshTokens.deleteExpired(Times.now().minus(1, ChronoUnit.DAYS));
        if (purged > 0) {
            log.info("Purged {} expired refresh tokens", purged);
        }
    }

    private String newRefreshToken() {
        return "ert_" + SecretCipher.randomToken(32);
    }

    private static ApiProblem invalidRefreshToken() {
        return ApiProblem.unauthorized("Refresh token is invalid, expired or revoked; sign in again");
    }
}
